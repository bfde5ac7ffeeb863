package io.pushhub;

import io.pushhub.config.BuildInfo;
import io.pushhub.support.SseClient;
import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MetricsTest {

  @Test
  void prometheusExpositionHasPushhubAndVertxMeters() {
    try (TestHub hub = TestHub.start(); SseClient client = hub.subscribe("/events?topic=m/a")) {
      hub.publish("m/a", "one");
      await().until(() -> client.eventCount() == 1);
      await().until(() -> value(hub, "pushhub_events_delivered_total") == 1.0);
      String text = hub.get("/metrics").body();
      assertThat(value(hub, "pushhub_connections")).isEqualTo(1.0);
      assertThat(value(hub, "pushhub_events_published_total")).isEqualTo(1.0);
      assertThat(text).contains("pushhub_delivery_latency_seconds_bucket", "pushhub_delivery_latency_seconds_count 1",
        "pushhub_slow_consumer_closes_total", "pushhub_circuit_breaker_state", "vertx_http_server_",
        "vertx_eventbus_");
      assertThat(text).doesNotContain("m/a");
    }
  }

  @Test
  void theBuildIsAGaugeOfOneLabelledWithTheVersion() {
    try (TestHub hub = TestHub.start()) {
      assertThat(BuildInfo.version()).isNotBlank().isNotEqualTo("unknown");
      assertThat(value(hub, "pushhub_build_info{version=\"" + BuildInfo.version() + "\"}")).isEqualTo(1.0);
      assertThat(hub.get("/metrics").body()).contains("# TYPE pushhub_build_info gauge");
    }
  }

  @Test
  void metricsCanLiveOnTheirOwnPortOnly() throws Exception {
    try (TestHub hub = TestHub.start(new JsonObject().put("metrics", new JsonObject().put("port", -1)
      .put("host", "127.0.0.1")))) {
      assertThat(hub.metricsPort()).isNotEqualTo(hub.port());
      assertThat(hub.get("/metrics").status()).isEqualTo(404);
      HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + hub.metricsPort() + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.body()).contains("pushhub_connections ");
    }
  }

  @Test
  void resumesAreCountedByResult() {
    try (TestHub hub = TestHub.start()) {
      String id = hub.publish("m/r", "x").getString("id");
      hub.publish("m/r", "y");
      // Closed only once its replay has arrived: a stream that leaves before then is not a resume.
      try (SseClient full = hub.subscribe("/events?topic=m/r", id);
           SseClient resync = hub.subscribe("/events?topic=m/r", "garbage")) {
        await().until(() -> full.eventCount() == 1
          && resync.events().stream().anyMatch(e -> e.event().equals("resync")));
        assertThat(full.data()).containsExactly("y");
      }
      await().until(() -> value(hub, "pushhub_replay_total{result=\"full\"}") == 1.0
        && value(hub, "pushhub_replay_total{result=\"resync\"}") == 1.0);
      await().until(() -> value(hub, "pushhub_resume_duration_seconds_count") == 2.0);
    }
  }

  @Test
  void refusalsAreCountedByTheirErrorCode() {
    try (TestHub hub = TestHub.start(new JsonObject().put("limits", new JsonObject().put("maxEventBytes", 10)))) {
      // Counted per JVM (one node per process in production): other tests' refusals are in it too.
      double badBefore = value(hub, "pushhub_rejected_total{reason=\"bad_request\"}");
      double sizeBefore = value(hub, "pushhub_rejected_total{reason=\"size\"}");
      assertThat(hub.post("/publish", "{\"topic\": \"a//b\", \"data\": \"x\"}").status()).isEqualTo(400);
      assertThat(hub.get("/events?topic=").status()).isEqualTo(400);
      assertThat(hub.post("/publish", "{\"topic\": \"m/s\", \"data\": \"" + "x".repeat(11) + "\"}").status())
        .isEqualTo(413);
      await().until(() -> value(hub, "pushhub_rejected_total{reason=\"bad_request\"}") == badBefore + 2
        && value(hub, "pushhub_rejected_total{reason=\"size\"}") == sizeBefore + 1);
    }
  }

  private static double value(TestHub hub, String series) {
    return Arrays.stream(hub.get("/metrics").body().split("\n"))
      .filter(l -> l.startsWith(series + " "))
      .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
      .findFirst().orElse(Double.NaN);
  }
}
