package io.pushhub.mercure;

import io.pushhub.support.Await;
import io.pushhub.support.MercureTokens;
import io.pushhub.support.TestHub;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;

/**
 * A real browser (Debian's chromium, headless) on a page of another origin: it stores its token in
 * the {@code mercureAuthorization} cookie and opens {@code EventSource(url, {withCredentials: true})}
 * on the hub, which receives the cookie (same host, so same site) and delivers a private update
 * that only that token may see.
 */
@Tag("browser")
class MercureBrowserIT {

  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final String TOPIC = "https://example.com/browser/1";
  private static final String PAGE = """
    <!doctype html><html><body><p id="status">starting</p><ul id="events"></ul><script>
    const params = new URLSearchParams(location.search);
    document.cookie = 'mercureAuthorization=' + params.get('token') + '; path=/; SameSite=Lax';
    const url = new URL('/.well-known/mercure', params.get('hub'));
    url.searchParams.append('topic', params.get('topic'));
    const source = new EventSource(url, {withCredentials: true});
    source.onopen = () => document.getElementById('status').textContent = 'open';
    source.onerror = () => document.getElementById('status').textContent = 'error';
    source.onmessage = e => {
      const li = document.createElement('li');
      li.textContent = e.lastEventId + ' ' + e.data;
      document.getElementById('events').appendChild(li);
    };
    </script></body></html>
    """;

  private Vertx vertx;
  private HttpServer pages;
  private TestHub hub;
  private WebDriver browser;

  @BeforeEach
  void start() {
    assertThat(Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER)))
      .as("needs the Debian packages chromium and chromium-driver (scripts/test installs them)").isTrue();
    vertx = Vertx.vertx();
    pages = Await.result(vertx.createHttpServer()
      .requestHandler(request -> request.response().putHeader("Content-Type", "text/html").end(PAGE))
      .listen(0, "127.0.0.1"));
    hub = TestHub.start(new JsonObject()
      .put("auth", new JsonObject().put("hs256Secret", MercureTokens.SECRET))
      .put("cors", new JsonObject().put("allowedOrigins", new JsonArray().add(pageOrigin()))));
    ChromeDriverService service = new ChromeDriverService.Builder()
      .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    browser = new ChromeDriver(service, new ChromeOptions().setBinary(CHROMIUM)
      .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"));
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (hub != null) {
      hub.close();
    }
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  private String pageOrigin() {
    return "http://127.0.0.1:" + pages.actualPort();
  }

  @Test
  void eventSourceWithCredentialsSendsTheCookieAndGetsPrivateUpdates() {
    String token = MercureTokens.token(List.of(), List.of(TOPIC));
    browser.get(pageOrigin() + "/?hub=" + enc("http://127.0.0.1:" + hub.port()) + "&topic=" + enc(TOPIC)
      + "&token=" + enc(token));
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    wait.until(textToBePresentInElementLocated(By.id("status"), "open"));

    MercureEndpointTest.published(hub, "topic", TOPIC, "data", "for the cookie's holder", "private", "on", "id", "browser-1");
    wait.until(textToBePresentInElementLocated(By.id("events"), "browser-1 for the cookie's holder"));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
