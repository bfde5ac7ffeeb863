package io.pushhub.support;

import io.pushhub.Hub;
import io.pushhub.HubOptions;
import io.pushhub.StoreFactory;
import io.pushhub.config.ConfigLoader;
import io.pushhub.config.HubConfig;
import io.pushhub.metrics.MetricsSetup;
import io.pushhub.tracing.Tracing;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A hub node started in this JVM on a random port, with a plain JDK HTTP client to talk to it. */
public final class TestHub implements AutoCloseable {

  public record Answer(int status, HttpHeaders headers, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  private final Vertx vertx;
  private final Hub hub;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestHub(Vertx vertx, Hub hub) {
    this.vertx = vertx;
    this.hub = hub;
  }

  /** Starts a node; {@code overrides} is merged over the defaults (nested JSON as in the config file). */
  public static TestHub start(JsonObject overrides) {
    return start(overrides, StoreFactory.STANDARD);
  }

  /** A node whose replay store {@code stores} makes (one that fails on demand, say). */
  public static TestHub start(JsonObject overrides, StoreFactory stores) {
    return start(overrides, stores, null);
  }

  /** A node built with {@code tracing} (see {@link Tracing#install}); null: tracing off. */
  public static TestHub start(JsonObject overrides, StoreFactory stores, Tracing tracing) {
    // Every test client is 127.0.0.1: per-client limits out of the way unless a test sets them.
    JsonObject json = new JsonObject().put("http", new JsonObject().put("port", -1).put("instances", 2))
      .put("limits", new JsonObject().put("maxConnectionsPerClient", 1_000_000)
        .put("connectsPerSecondPerClient", 1_000_000).put("publishesPerSecond", 1_000_000))
      .mergeIn(overrides, true);
    HubConfig config = ConfigLoader.fromJson(json);
    String metrics = MetricsSetup.newRegistryName();
    Vertx vertx = Tracing.install(Vertx.builder().with(MetricsSetup.vertxOptions(metrics))
      .withMetrics(MetricsSetup.metricsFactory()), tracing).build();
    Hub hub = Await.result(Hub.start(HubOptions.of(vertx, config).metrics(metrics).stores(stores).tracing(tracing)));
    return new TestHub(vertx, hub);
  }

  public static TestHub start() {
    return start(new JsonObject());
  }

  public Hub hub() {
    return hub;
  }

  public Vertx vertx() {
    return vertx;
  }

  public int port() {
    return hub.port();
  }

  public int metricsPort() {
    return hub.metricsPort();
  }

  public SseClient subscribe(String uri) {
    return SseClient.open(vertx, port(), uri);
  }

  public SseClient subscribe(String uri, String lastEventId) {
    return SseClient.open(vertx, port(), uri, lastEventId);
  }

  /** Publishes {@code body} and returns the reply, which must be 200. */
  public JsonObject publish(JsonObject body) {
    Answer answer = post("/publish", body.encode());
    if (answer.status() != 200) {
      throw new AssertionError("publish answered " + answer.status() + " " + answer.body());
    }
    return answer.json();
  }

  public JsonObject publish(String topic, String data) {
    return publish(new JsonObject().put("topic", topic).put("data", data));
  }

  public Answer post(String uri, String body) {
    return send(request(uri).header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Answer get(String uri) {
    return send(request(uri).GET());
  }

  public HttpRequest.Builder request(String uri) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + uri)).timeout(Duration.ofSeconds(10));
  }

  public Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    Await.result(vertx.close());
  }
}
