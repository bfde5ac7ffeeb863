package io.pushhub.mercure;

import io.pushhub.support.HubCluster;
import io.pushhub.support.SseClient;
import io.pushhub.support.Teardown;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Mercure endpoint on a 3-node cluster: updates published on one node resume on the others. */
@Tag("slow")
class MercureClusterIT {

  private static final String PATH = "/.well-known/mercure";
  @TempDir
  static Path dir;
  private static HubCluster cluster;
  private static Vertx vertx;
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void start() throws Exception {
    // Development mode (no key): loopback clients publish, anyone subscribes.
    cluster = new HubCluster(dir, HubCluster.DRILL_CONFIG);
    cluster.start(3);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Teardown.closeAll(vertx, cluster);
  }

  private static String publish(int node, String topic, String data, String id) throws Exception {
    String form = "topic=" + enc(topic) + "&data=" + enc(data) + (id == null ? "" : "&id=" + enc(id));
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.port(node) + PATH))
      .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))
      .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return answer.body();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void resumesOnAnotherNodeByAPublisherIdAndByAGeneratedId() throws Exception {
    String topic = "https://example.com/cluster/books/1";
    try (SseClient live = SseClient.open(vertx, cluster.port(1), PATH + "?topic=" + enc("https://example.com/cluster/books/{id}"))) {
      publish(0, topic, "one", "cluster-1");
      String second = publish(0, topic, "two", null);
      publish(0, topic, "three", "cluster-3");
      await().until(() -> live.eventCount() == 3);
      assertThat(live.data()).containsExactly("one", "two", "three");
      assertThat(live.events().get(1).id()).isEqualTo(second).startsWith("urn:pushhub:");

      try (SseClient byPublisherId = SseClient.open(vertx, cluster.port(2), PATH + "?topic=" + enc(topic),
             Map.of("Last-Event-ID", "cluster-1"))) {
        await().until(() -> byPublisherId.eventCount() == 2);
        assertThat(byPublisherId.data()).containsExactly("two", "three");
        assertThat(byPublisherId.headers().get("Last-Event-ID")).isEqualTo("cluster-1");
        publish(2, topic, "four", null);
        await().until(() -> byPublisherId.eventCount() == 3);
        assertThat(byPublisherId.data()).containsExactly("two", "three", "four");
      }
      try (SseClient byGeneratedId = SseClient.open(vertx, cluster.port(1), PATH + "?topic=" + enc(topic)
             + "&lastEventID=" + enc(second), Map.of())) {
        await().until(() -> byGeneratedId.eventCount() == 2);
        assertThat(byGeneratedId.data()).containsExactly("three", "four");
        assertThat(byGeneratedId.headers().get("Last-Event-ID")).isEqualTo(second);
      }
    }
  }
}
