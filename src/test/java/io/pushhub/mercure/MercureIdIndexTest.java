package io.pushhub.mercure;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.pushhub.event.Position;
import io.pushhub.mercure.MercureIds.Location;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class MercureIdIndexTest {

  private static final Location BOOK = new Location("https://example.com/books/1", new Position(7, 3));
  private static final Location OTHER = new Location("https://example.com/books/2", new Position(8, 1));

  @Test
  void memoryIndexForgetsAfterItsAgeAndBeyondItsSize() {
    AtomicLong now = new AtomicLong(1_000);
    MemoryMercureIdIndex index = new MemoryMercureIdIndex(2, 500, now::get);
    index.put("a", BOOK);
    assertThat(index.get("a").result()).isEqualTo(BOOK);
    assertThat(index.get("unknown").result()).isNull();
    index.put("a", OTHER);
    assertThat(index.get("a").result()).as("an id used twice names its latest update").isEqualTo(OTHER);
    index.put("b", BOOK);
    index.put("c", BOOK);
    assertThat(index.size()).isEqualTo(2);
    assertThat(index.get("a").result()).as("the oldest id beyond the size").isNull();
    now.addAndGet(500);
    assertThat(index.get("b").result()).as("an id past its age").isNull();
    index.put("d", BOOK);
    assertThat(index.size()).as("expired entries dropped on the next put").isEqualTo(1);
  }

  @Test
  void hazelcastIndexIsSharedByMembers() {
    String cluster = "mercure-ids-" + UUID.randomUUID();
    int port = 20_000 + new java.util.Random().nextInt(20_000);
    HazelcastInstance first = Hazelcast.newHazelcastInstance(config(cluster, port));
    HazelcastInstance second = Hazelcast.newHazelcastInstance(config(cluster, port));
    Vertx vertx = Vertx.vertx();
    try {
      MercureIdIndex onFirst = new HazelcastMercureIdIndex(vertx, first, 60);
      MercureIdIndex onSecond = new HazelcastMercureIdIndex(vertx, second, 60);
      onFirst.put("urn:uuid:1", BOOK).await();
      assertThat(onSecond.get("urn:uuid:1").await()).isEqualTo(BOOK);
      assertThat(onSecond.get("urn:uuid:2").await()).isNull();
      assertThat(first.getConfig().getMapConfig(HazelcastMercureIdIndex.MAP).getTimeToLiveSeconds()).isEqualTo(60);
    } finally {
      vertx.close().await();
      second.shutdown();
      first.shutdown();
    }
  }

  private static Config config(String cluster, int port) {
    Config config = new Config().setClusterName(cluster);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.getNetworkConfig().setPort(port).setPortCount(20);
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    config.addMapConfig(HazelcastMercureIdIndex.mapConfig(10_000, 60));
    return config;
  }
}
