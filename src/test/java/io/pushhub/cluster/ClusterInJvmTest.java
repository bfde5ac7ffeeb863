package io.pushhub.cluster;

import io.pushhub.Hub;
import io.pushhub.config.HubConfig;
import io.pushhub.support.Await;
import io.pushhub.support.InJvmCluster;
import io.pushhub.examples.ClusterPublisher;
import io.pushhub.support.SseClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.eventbus.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pushhub.event.Cursor;
import io.pushhub.event.Position;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two clustered nodes in one JVM: a publish on A reaches a subscriber on B, over the real event bus. */
class ClusterInJvmTest {

  @Test
  void publishOnOneNodeReachesASubscriberOnTheOther(@TempDir Path dir) throws Exception {
    HubConfig config = InJvmCluster.config(dir, new JsonObject());
    String xml = config.cluster().config();
    List<Vertx> nodes = new ArrayList<>();
    try {
      Hub a = startNode(config, nodes);
      Hub b = startNode(config, nodes);
      try (SseClient subscriber = SseClient.open(nodes.get(1), b.port(), "/events?topic=injvm/t")) {
        await().until(() -> !subscriber.lastEventId().isEmpty());
        Message<Object> reply = Await.result(nodes.get(0).eventBus().request("pushhub.publish",
          new JsonObject().put("topic", "injvm/t").put("data", "from A")));
        await().until(() -> subscriber.data().equals(List.of("from A")));
        assertThat(subscriber.lastEventId()).isEqualTo(((JsonObject) reply.body()).getString("id"));
        assertThat(a.clustered()).isTrue();

        // A publisher service in its own Vert.x, a Hazelcast lite member: it publishes, holds no data.
        Vertx publisher = ClusterPublisher.join(xml);
        nodes.add(publisher);
        JsonObject viaLite = Await.result(ClusterPublisher.publish(publisher,
          new JsonObject().put("topic", "injvm/t").put("data", "from a lite member")));
        await().until(() -> subscriber.data().size() == 2);
        assertThat(subscriber.data()).last().isEqualTo("from a lite member");
        assertThat(subscriber.lastEventId()).isEqualTo(viaLite.getString("id"));

        // A purge on B: A, which has the topic's epoch cached, goes on in the same log, and a
        // stream resuming from before the purge is told its events are gone.
        String beforePurge = reply.body() instanceof JsonObject first ? first.getString("id") : null;
        HttpResponse<String> purge = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + b.port() + "/admin/topics/injvm%2Ft/history")).DELETE().build(),
          HttpResponse.BodyHandlers.ofString());
        assertThat(purge.statusCode()).isEqualTo(204);
        JsonObject afterPurge = (JsonObject) Await.result(nodes.get(0).eventBus().request("pushhub.publish",
          new JsonObject().put("topic", "injvm/t").put("data", "after purge"))).body();
        assertThat(position(afterPurge.getString("id"))).isEqualTo(
          new Position(position(viaLite.getString("id")).epoch(), position(viaLite.getString("id")).seq() + 1));
        await().until(() -> subscriber.data().size() == 3);
        try (SseClient resumer = SseClient.open(nodes.get(1), b.port(), "/events?topic=injvm/t", beforePurge)) {
          await().until(() -> resumer.events().size() == 2);
          assertThat(resumer.events().get(0).event()).isEqualTo("resync");
          assertThat(new JsonObject(resumer.events().get(0).data()).getString("reason")).isEqualTo("evicted");
          assertThat(resumer.data()).containsExactly("after purge");
        }

        // An idempotency key is checked where the event is stored, whichever node takes the retry.
        JsonObject stored = publish(nodes.get(0), "injvm/k", "first", "k1");
        JsonObject retried = publish(nodes.get(1), "injvm/k", "first", "k1");
        assertThat(retried.getString("id")).isEqualTo(stored.getString("id"));
        assertThat(retried.getBoolean("duplicate")).isTrue();
        JsonObject second = publish(nodes.get(1), "injvm/k", "second", "k2");
        assertThat(second.getBoolean("duplicate", false)).isFalse();
        assertThat(position(second.getString("id")).seq()).isEqualTo(position(stored.getString("id")).seq() + 1);
        assertThat(publish(nodes.get(0), "injvm/k", "second", "k2").getString("id")).isEqualTo(second.getString("id"));
      }
    } finally {
      nodes.forEach(v -> Await.result(v.close()));
    }
  }

  private static JsonObject publish(Vertx node, String topic, String data, String key) {
    return (JsonObject) Await.result(node.eventBus().request("pushhub.publish",
      new JsonObject().put("topic", topic).put("data", data).put("id", key))).body();
  }

  private static Position position(String cursor) {
    return Cursor.parse(cursor).values().iterator().next().position();
  }

  private static Hub startNode(HubConfig config, List<Vertx> nodes) {
    InJvmCluster.Node node = InJvmCluster.start(config, null);
    nodes.add(node.vertx());
    return node.hub();
  }
}
