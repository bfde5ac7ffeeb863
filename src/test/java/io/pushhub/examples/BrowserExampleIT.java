package io.pushhub.examples;

import io.pushhub.auth.Tokens;
import io.pushhub.support.Await;
import io.pushhub.support.HubProcess;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;

/**
 * examples/browser in a real browser (Debian's chromium, headless): the page served by the
 * example's token server subscribes to a hub process with its cookie token, shows events, and
 * renews the token when the hub sends "event: expired", without losing the stream.
 */
@Tag("browser")
class BrowserExampleIT {

  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final String SECRET = "browser-example-secret-0123456789abcdef";
  private static final int TOKEN_TTL_SECONDS = 4;

  @TempDir
  Path dir;
  private HubProcess hub;
  private Process tokenServer;
  private Vertx vertx;
  private WebDriver browser;
  private WebDriverWait wait;
  private int hubPort;
  private int pagePort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeEach
  void start() throws Exception {
    assertThat(Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER)))
      .as("needs the Debian packages chromium and chromium-driver (scripts/test installs them)").isTrue();
    tokenServer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", HubProcess.jar().toString(), "examples/browser/TokenServer.java",
      "--secret", SECRET, "--port", "0", "--ttl", String.valueOf(TOKEN_TTL_SECONDS), "--topics", "example/**")
      .redirectErrorStream(true).start();
    pagePort = announcedPort(tokenServer);
    // The page's origin may open streams with credentials (its cookie).
    Path config = Files.writeString(dir.resolve("hub.json"), new JsonObject()
      .put("http", new JsonObject().put("port", 0).put("instances", 1))
      .put("auth", new JsonObject().put("hs256Secret", SECRET))
      .put("cors", new JsonObject().put("allowedOrigins", new JsonArray().add("http://127.0.0.1:" + pagePort)))
      .encode());
    hub = HubProcess.run("--config", config.toString());
    hubPort = hub.awaitStarted();
    vertx = Vertx.vertx();

    ChromeDriverService service = new ChromeDriverService.Builder()
      .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    browser = new ChromeDriver(service, new ChromeOptions().setBinary(CHROMIUM)
      .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage"));
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (hub != null) {
      hub.sigkill();
    }
    if (tokenServer != null) {
      tokenServer.destroyForcibly();
    }
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  @Test
  void pageShowsEventsAndRenewsItsCookieTokenWhenItExpires() throws Exception {
    browser.get("http://127.0.0.1:" + pagePort + "/?hub=http://127.0.0.1:" + hubPort + "&topic=example/news");
    wait.until(textToBePresentInElementLocated(By.id("status"), "live"));
    // The token is in an HttpOnly cookie: no script on the page can read it.
    assertThat((String) ((JavascriptExecutor) browser).executeScript("return document.cookie")).doesNotContain("pushhub_token");

    publish("<i>first</i>");
    wait.until(textToBePresentInElementLocated(By.id("events"), "<i>first</i>"));
    assertThat(browser.findElements(By.cssSelector("#events i"))).isEmpty();

    // The hub ends the stream with "event: expired" when the token runs out; the page fetches a
    // new cookie and opens the stream again.
    wait.withTimeout(Duration.ofSeconds(TOKEN_TTL_SECONDS + 20))
      .until(driver -> Integer.parseInt(driver.findElement(By.id("renewals")).getText()) >= 2);
    assertThat(Integer.parseInt(browser.findElement(By.id("expired")).getText())).isPositive();
    wait.until(textToBePresentInElementLocated(By.id("status"), "live"));
    publish("second");
    wait.until(textToBePresentInElementLocated(By.id("events"), "second"));
    List<String> shown = browser.findElements(By.cssSelector("#events li")).stream().map(WebElement::getText).toList();
    assertThat(shown).containsExactly("second", "<i>first</i>");
  }

  private void publish(String data) throws Exception {
    String token = new Tokens(vertx).hs256(SECRET, Tokens.claims("publisher", System.currentTimeMillis() / 1000 + 600,
      new JsonObject().put("publish", new JsonArray().add("example/**"))));
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hubPort + "/publish"))
      .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("topic", "example/news").put("data", data).encode()))
      .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
  }

  /** Reads the token server's output until it names its port; keeps draining it after. */
  private static int announcedPort(Process process) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    Pattern announced = Pattern.compile("example page on http://localhost:(\\d+)/");
    CompletableFuture<Integer> port = new CompletableFuture<>();
    StringBuilder seen = new StringBuilder();
    Thread reader = new Thread(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          Matcher m = announced.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          } else if (!port.isDone()) {
            seen.append(line).append('\n');
          }
        }
      } catch (Exception e) {
        // The process ended.
      }
      port.completeExceptionally(new AssertionError("token server did not start:\n" + seen));
    });
    reader.setDaemon(true);
    reader.start();
    return port.get(60, TimeUnit.SECONDS);
  }
}
