package io.pushhub.mercure;

import io.pushhub.support.HubCluster;
import io.pushhub.support.MercureTokens;
import io.pushhub.support.SseClient;
import io.pushhub.support.Teardown;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.pushhub.mercure.MercureSubscriptionsTest.API;
import static io.pushhub.mercure.MercureSubscriptionsTest.EVENTS;
import static io.pushhub.mercure.MercureSubscriptionsTest.WATCHER;
import static io.pushhub.mercure.MercureSubscriptionsTest.about;
import static io.pushhub.mercure.MercureSubscriptionsTest.enc;
import static io.pushhub.mercure.MercureSubscriptionsTest.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Active subscriptions on a 3-node cluster: a subscription on one node is listed by every node and
 * its events reach watchers on the others; when its node is killed, it leaves the API of the
 * others and its end is published.
 */
@Tag("slow")
class MercureSubscriptionsClusterIT {

  @TempDir
  static Path dir;
  private static HubCluster cluster;
  private static Vertx vertx;
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void start() throws Exception {
    JsonObject config = new JsonObject(HubCluster.DRILL_CONFIG)
      .put("auth", new JsonObject().put("hs256Secret", MercureTokens.SECRET))
      .put("mercure", new JsonObject().put("subscriptions", true));
    cluster = new HubCluster(dir, config.encode());
    cluster.start(3);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Teardown.closeAll(vertx, cluster);
  }

  private static List<JsonObject> listed(int node, String topic) throws Exception {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.port(node)
        + API + "/" + enc(topic))).header("Authorization", "Bearer " + WATCHER).timeout(Duration.ofSeconds(10)).build(),
      HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonArray subscriptions = new JsonObject(answer.body()).getJsonArray("subscriptions");
    return subscriptions.stream().map(JsonObject.class::cast).toList();
  }

  private static SseClient subscribe(int node, String token, String uri) {
    return SseClient.open(vertx, cluster.port(node), uri, Map.of("Authorization", "Bearer " + token));
  }

  @Test
  void aKilledNodesSubscriptionsLeaveTheApiAndTheirEndIsPublished() throws Exception {
    String topic = "https://example.com/cluster/rooms/{id}";
    String subscriberToken = MercureSubscriptionsTest.token(List.of(), new JsonObject().put("user", 1));
    try (SseClient watcher = subscribe(2, WATCHER, query(EVENTS));
         SseClient target = subscribe(1, subscriberToken, query(topic))) {
      await().atMost(Duration.ofSeconds(20)).until(() -> listed(0, topic).size() == 1);
      JsonObject subscription = listed(0, topic).get(0);
      assertThat(subscription.getValue("payload")).isEqualTo(new JsonObject().put("user", 1));
      await().atMost(Duration.ofSeconds(20)).until(() -> about(watcher, topic).size() == 1);
      assertThat(about(watcher, topic).get(0).getString("subscriber")).isEqualTo(subscription.getString("subscriber"));

      cluster.node(1).sigkill();
      await().atMost(Duration.ofSeconds(20)).until(() -> listed(0, topic).isEmpty() && listed(2, topic).isEmpty());
      await().atMost(Duration.ofSeconds(20)).until(() -> about(watcher, topic).size() == 2);
      JsonObject ended = about(watcher, topic).get(1);
      assertThat(ended.getBoolean("active")).isFalse();
      assertThat(ended.getString("id")).isEqualTo(subscription.getString("id"));
    }
  }
}
