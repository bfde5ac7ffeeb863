package io.pushhub.admin;

import io.pushhub.auth.Tokens;
import io.pushhub.support.Await;
import io.pushhub.support.HubCluster;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.numberOfElementsToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

/**
 * The dashboard in a real browser (Debian's chromium, headless) against three hub processes on one
 * cluster, with auth on: log in, see every node, tail a topic over the hub's own stream.
 */
@Tag("browser")
class DashboardIT {

  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final String SECRET = "dashboard-it-secret-0123456789abcdef";

  @TempDir
  static Path dir;
  private static HubCluster cluster;
  private static Vertx vertx;
  private static Tokens tokens;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private WebDriver browser;
  private WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    assertThat(Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER)))
      .as("needs the Debian packages chromium and chromium-driver (scripts/test installs them)").isTrue();
    cluster = new HubCluster(dir, new JsonObject()
      .put("http", new JsonObject().put("port", 0).put("instances", 1))
      .put("auth", new JsonObject().put("hs256Secret", SECRET)).encode());
    cluster.start(3);
    vertx = Vertx.vertx();
    tokens = new Tokens(vertx);
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      Await.result(vertx.close());
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void openBrowser() {
    // The driver and browser are named outright, so Selenium Manager never looks for (or fetches) one.
    ChromeDriverService service = new ChromeDriverService.Builder()
      .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
      .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage");
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void operatorSeesTheClusterAndTailsATopic() throws Exception {
    String admin = token("operator", new JsonObject().put("admin", true).put("subscribe", new JsonArray().add("dash/**")));
    String publisher = token("publisher", new JsonObject().put("publish", new JsonArray().add("dash/**")));
    logIn(cluster.port(0), admin);

    wait.until(numberOfElementsToBe(By.cssSelector("#nodes tbody tr"), 3));
    List<WebElement> nodes = browser.findElements(By.cssSelector("#nodes tbody tr"));
    assertThat(nodes).allSatisfy(row -> assertThat(row.getText()).contains("ready").contains("closed"));
    assertThat(nodes.stream().map(WebElement::getText))
      .anySatisfy(t -> assertThat(t).contains("127.0.0.1:" + cluster.port(2)));

    browser.findElement(By.id("tail-topic")).sendKeys("dash/news");
    browser.findElement(By.id("tail-start")).click();
    wait.until(textToBePresentInElementLocated(By.id("tail-status"), "live"));
    // The tail's own stream shows up among the connections and subscribers.
    wait.until(textToBePresentInElementLocated(By.id("connections"), "operator"));
    wait.until(textToBePresentInElementLocated(By.id("topics"), "dash/news"));

    // Published on another node; markup in the data must arrive as text.
    publish(cluster.port(1), publisher, new JsonObject().put("topic", "dash/news").put("data", "<b>goal</b> & more"));
    wait.until(textToBePresentInElementLocated(By.id("tail-events"), "<b>goal</b> & more"));
    assertThat(browser.findElements(By.cssSelector("#tail-events b"))).isEmpty();

    // A type the tail has not met yet: its first event comes from the topic's history, the next live.
    publish(cluster.port(2), publisher, new JsonObject().put("topic", "dash/news").put("event", "score").put("data", "1-0"));
    wait.until(textToBePresentInElementLocated(By.id("tail-events"), "1-0"));
    publish(cluster.port(2), publisher, new JsonObject().put("topic", "dash/news").put("event", "score").put("data", "2-0"));
    wait.until(textToBePresentInElementLocated(By.id("tail-events"), "2-0"));
    List<String> data = browser.findElements(By.cssSelector("#tail-events td.data")).stream().map(WebElement::getText).toList();
    assertThat(data).containsExactly("2-0", "1-0", "<b>goal</b> & more");
  }

  @Test
  void aRefusedTokenAsksForAnotherOne() throws Exception {
    String notAdmin = token("someone", new JsonObject().put("subscribe", new JsonArray().add("dash/**")));
    logIn(cluster.port(1), notAdmin);
    wait.until(visibilityOfElementLocated(By.id("login-error")));
    assertThat(browser.findElement(By.id("login-error")).getText()).contains("403");
    assertThat(browser.findElement(By.id("main-view")).isDisplayed()).isFalse();

    logIn(cluster.port(1), "not-a-token");
    wait.until(textToBePresentInElementLocated(By.id("login-error"), "401"));
  }

  private void logIn(int port, String token) {
    browser.get("http://127.0.0.1:" + port + "/admin/ui");
    wait.until(visibilityOfElementLocated(By.id("token"))).sendKeys(token);
    browser.findElement(By.id("login")).click();
  }

  private static String token(String subject, JsonObject rights) {
    return tokens.hs256(SECRET, Tokens.claims(subject, System.currentTimeMillis() / 1000 + 600, rights));
  }

  private void publish(int port, String token, JsonObject body) throws Exception {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/publish"))
      .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(body.encode())).timeout(Duration.ofSeconds(10)).build(),
      HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
  }
}
