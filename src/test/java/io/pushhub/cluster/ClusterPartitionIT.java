package io.pushhub.cluster;

import io.pushhub.support.Await;
import io.pushhub.support.FaultDrill;
import io.pushhub.support.HubCluster;
import io.pushhub.support.LoopbackPartition;
import io.pushhub.support.Nginx;
import io.pushhub.support.Teardown;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Three hub processes, each on a loopback address of its own, behind the shipped nginx config; one
 * node is cut off from the other two by packet filter rules (a real partition: the process runs
 * on, reachable by nginx, unable to reach its peers) while a publisher and subscribers go on
 * through nginx. Skipped where iptables rules cannot be set (not root).
 */
@Tag("slow")
class ClusterPartitionIT {

  private static final List<String> ADDRESSES = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4");
  /** Longer than Hazelcast's failure detector in the shipped XML (5 s without heartbeat). */
  private static final Duration PARTITION = Duration.ofSeconds(10);

  @TempDir
  static Path dir;
  private static HubCluster cluster;
  private static Nginx nginx;
  private static Vertx vertx;
  private static LoopbackPartition partition;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(LoopbackPartition.available(), "iptables rules cannot be set here (root and iptables needed)");
    cluster = new HubCluster(dir, HubCluster.DRILL_CONFIG);
    List<String> upstreams = new ArrayList<>();
    for (String address : ADDRESSES) {
      upstreams.add(address + ":" + cluster.startOn(address, ADDRESSES));
    }
    nginx = Nginx.startFor(dir.resolve("nginx"), 20_000 + ThreadLocalRandom.current().nextInt(10_000), upstreams);
    vertx = Vertx.vertx();
    partition = new LoopbackPartition();
  }

  @AfterAll
  static void stop() {
    Teardown.closeAll(vertx, partition, nginx, cluster);
  }


  @Test
  void aNodeCutOffFromItsPeersClosesItsStreamsRejoinsAndLosesNothing() throws Exception {
    int node = 2;
    List<String> others = ADDRESSES.subList(0, node);
    new FaultDrill(vertx, nginx, cluster).run("partition/one", node, PARTITION, new FaultDrill.Fault() {
      @Override
      public void strike() {
        partition.cut(ADDRESSES.get(node), others);
      }

      @Override
      public void heal() {
        partition.heal();
      }
    });
  }
}
