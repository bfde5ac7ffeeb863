package io.pushhub.cluster;

import io.pushhub.config.HubConfig;
import io.pushhub.event.Event;
import io.pushhub.support.Await;
import io.pushhub.support.EventSourceClient;
import io.pushhub.support.FaultDrill;
import io.pushhub.support.HubCluster;
import io.pushhub.support.LiteMember;
import io.pushhub.support.Nginx;
import io.pushhub.support.Teardown;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three hub processes behind the shipped nginx config, with a node frozen (SIGSTOP, then SIGCONT)
 * while a publisher and subscribers go on through nginx: every acknowledged event reaches every
 * subscriber once, in order, and the frozen node comes back by itself.
 */
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterPauseIT {

  /** Longer than Hazelcast's failure detector in the shipped XML (5 s without heartbeat). */
  private static final Duration LONG_FREEZE = Duration.ofSeconds(10);
  private static final Duration SHORT_FREEZE = Duration.ofSeconds(2);

  @TempDir
  static Path dir;
  private static HubCluster cluster;
  private static Nginx nginx;
  private static Vertx vertx;
  private static LiteMember lite;
  private static FaultDrill drill;

  @BeforeAll
  static void start() throws Exception {
    cluster = new HubCluster(dir, HubCluster.DRILL_CONFIG);
    // One at a time: node i then holds Hazelcast port base + i, which tells whose partition is whose.
    for (int i = 0; i < 3; i++) {
      cluster.start(1);
    }
    nginx = Nginx.start(dir.resolve("nginx"), 20_000 + ThreadLocalRandom.current().nextInt(10_000), cluster.ports());
    vertx = Vertx.vertx();
    lite = LiteMember.join(cluster.env());
    drill = new FaultDrill(vertx, nginx, cluster);
  }

  @AfterAll
  static void stop() {
    Teardown.closeAll(vertx, lite, nginx, cluster);
  }


  @Test
  @Order(1)
  void aNodeFrozenBrieflyIsNotDeclaredDeadAndNothingIsLost() throws Exception {
    drill.run("pause/short", 0, SHORT_FREEZE, freeze(0));
  }

  @Test
  @Order(2)
  void aNodeFrozenPastTheFailureDetectorRejoinsAndNothingIsLost() throws Exception {
    drill.run("pause/long", 2, LONG_FREEZE, freeze(2));
  }

  @Test
  @Order(3)
  void freezingTheOwnerOfTheTopicsPartitionLosesNothing() throws Exception {
    int node = 1;
    String topic = IntStream.range(0, 10_000).mapToObj(i -> "pause/owner-" + i)
      .filter(t -> lite.ownerPort(HazelcastReplayStore.partitionKey(t)) == hazelcastPort(node))
      .findFirst().orElseThrow();
    drill.run(topic, node, LONG_FREEZE, freeze(node));
  }

  @Test
  @Order(4)
  void anEventStoredByAMemberThatDiesBeforeHandingItOverReachesStreamsOfAQuietTopic() throws Exception {
    String topic = "pause/quiet";
    List<EventSourceClient> subscribers = IntStream.range(0, 3)
      .mapToObj(i -> EventSourceClient.open(vertx, cluster.port(i), "/events?topic=" + topic, null)).toList();
    await().until(() -> subscribers.stream().allMatch(s -> !s.lastEventId().isEmpty()));
    // What a node does before it hands an event over: store it. Then it dies.
    LiteMember dying = LiteMember.join(cluster.env(), config -> config.getSerializationConfig()
      .addDataSerializableFactory(LogSerialization.FACTORY_ID, new LogSerialization()));
    Vertx storeVertx = Vertx.vertx();
    try {
      HazelcastReplayStore store = new HazelcastReplayStore(storeVertx, dying.hazelcast(),
        new HubConfig.Replay(5000, 300), () -> System.currentTimeMillis() * 1000, "dying");
      Await.result(store.append(new Event(topic, null, null, "stored, never handed over", null, 0)));
      dying.terminate();
    } finally {
      Await.result(storeVertx.close());
    }
    await().atMost(Duration.ofSeconds(10))
      .until(() -> subscribers.stream().allMatch(s -> s.data().contains("stored, never handed over")));
    subscribers.forEach(s -> assertThat(s.data()).containsExactly("stored, never handed over"));
    subscribers.forEach(EventSourceClient::close);
  }

  private static FaultDrill.Fault freeze(int node) {
    return new FaultDrill.Fault() {
      @Override
      public void strike() {
        cluster.node(node).sigstop();
      }

      @Override
      public void heal() {
        cluster.node(node).sigcont();
      }
    };
  }

  private static int hazelcastPort(int node) {
    return Integer.parseInt(cluster.env().get("PUSHHUB_CLUSTER_PORT")) + node;
  }
}
