package io.pushhub.cluster;

import io.pushhub.Hub;
import io.pushhub.config.ConfigLoader;
import io.pushhub.config.HubConfig;
import io.pushhub.support.Await;
import io.pushhub.examples.ClusterPublisher;
import io.pushhub.support.SseClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.eventbus.Message;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two clustered nodes in one JVM: a publish on A reaches a subscriber on B, over the real event bus. */
class ClusterInJvmTest {

  @Test
  void publishOnOneNodeReachesASubscriberOnTheOther(@TempDir Path dir) throws Exception {
    int port = 30_000 + ThreadLocalRandom.current().nextInt(0, 500) * 20;
    Path xml = Files.writeString(dir.resolve("hz.xml"), Files.readString(Path.of("cluster-config/hazelcast.xml"))
      .replace("${pushhub.cluster.name}", "injvm-" + port).replace("${pushhub.cluster.port}", Integer.toString(port))
      .replace("${pushhub.cluster.members}", "127.0.0.1"));
    HubConfig config = ConfigLoader.fromJson(new JsonObject()
      .put("http", new JsonObject().put("port", 0).put("instances", 1))
      .put("cluster", new JsonObject().put("enabled", true).put("config", xml.toString())));
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
        Vertx publisher = ClusterPublisher.join(xml.toString());
        nodes.add(publisher);
        JsonObject viaLite = Await.result(ClusterPublisher.publish(publisher,
          new JsonObject().put("topic", "injvm/t").put("data", "from a lite member")));
        await().until(() -> subscriber.data().size() == 2);
        assertThat(subscriber.data()).last().isEqualTo("from a lite member");
        assertThat(subscriber.lastEventId()).isEqualTo(viaLite.getString("id"));
      }
    } finally {
      nodes.forEach(v -> Await.result(v.close()));
    }
  }

  private static Hub startNode(HubConfig config, List<Vertx> nodes) {
    HazelcastClusterManager manager = new HazelcastClusterManager(ClusterSetup.hazelcastConfig(config.cluster(), config.replay()));
    Vertx vertx = Await.result(Vertx.builder().withClusterManager(manager).buildClustered());
    nodes.add(vertx);
    return Await.result(Hub.start(vertx, config, manager, null));
  }
}
