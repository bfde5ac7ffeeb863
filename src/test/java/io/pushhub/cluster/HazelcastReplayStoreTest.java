package io.pushhub.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.cluster.Address;
import io.pushhub.config.HubConfig;
import io.pushhub.event.Event;
import io.pushhub.event.Position;
import io.pushhub.replay.ReplayStore;
import io.pushhub.replay.ReplayStore.Appended;
import io.pushhub.replay.ReplayStore.Gap;
import io.pushhub.replay.ReplayStore.Replay;
import io.pushhub.support.Await;
import io.pushhub.support.InJvmCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The cluster's replay store on Hazelcast members in this JVM, each with its own store, as hub nodes have. */
class HazelcastReplayStoreTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<HazelcastInstance> members = new ArrayList<>();

  @AfterEach
  void stop() {
    members.forEach(m -> m.getLifecycleService().terminate());
    Await.result(vertx.close());
  }

  @Test
  void appendsFromTwoMembersToOneTopicGetOneOrderWithoutGaps(@TempDir Path dir) throws Exception {
    List<ReplayStore> stores = start(dir, 2, 300);
    List<Future<Appended>> appended = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      for (ReplayStore store : stores) {
        appended.add(store.append(draft("order/t", "e" + i, null)));
      }
    }
    List<Position> positions = Await.result(Future.all(appended)).<Appended>list().stream()
      .map(a -> a.event().position()).toList();
    assertThat(positions).extracting(Position::epoch).containsOnly(positions.get(0).epoch());
    assertThat(positions).extracting(Position::seq).containsExactlyInAnyOrderElementsOf(
      LongStream.rangeClosed(1, 400).boxed().toList());
    Replay replay = Await.result(stores.get(1).readAfter("order/t", Position.START));
    assertThat(replay.gap()).isEqualTo(Gap.NONE);
    assertThat(replay.events()).extracting(e -> e.position().seq())
      .containsExactlyElementsOf(LongStream.rangeClosed(1, 400).boxed().toList());
    assertThat(replay.head()).isEqualTo(new Position(positions.get(0).epoch(), 400));
    assertThat(Await.result(stores.get(0).head("order/t"))).isEqualTo(replay.head());
  }

  @Test
  void anIdempotencyKeyIsHonouredOnEveryMemberEvenAfterItsEventWasEvicted(@TempDir Path dir) throws Exception {
    List<ReplayStore> stores = start(dir, 2, 300, new JsonObject().put("maxEvents", 2));
    Appended first = Await.result(stores.get(0).append(draft("idem/t", "first", "k1")));
    Appended again = Await.result(stores.get(1).append(draft("idem/t", "first", "k1")));
    assertThat(again.duplicate()).isTrue();
    assertThat(again.event().cursor()).isEqualTo(first.event().cursor());
    for (int i = 0; i < 3; i++) {
      Await.result(stores.get(1).append(draft("idem/t", "more", null)));
    }
    assertThat(Await.result(stores.get(0).stats("idem/t")).retained()).isEqualTo(2);
    Appended evicted = Await.result(stores.get(1).append(draft("idem/t", "first", "k1")));
    assertThat(evicted.duplicate()).isTrue();
    assertThat(evicted.event().cursor()).isEqualTo(first.event().cursor());
    Appended other = Await.result(stores.get(0).append(draft("idem/t", "second", "k2")));
    assertThat(other.duplicate()).isFalse();
    assertThat(other.event().position().seq()).isEqualTo(5);
  }

  @Test
  void aQuietTopicsLogIsReclaimedAfterItsAgeAndComesBackWithANewEpoch(@TempDir Path dir) throws Exception {
    List<ReplayStore> stores = start(dir, 2, 2);
    Appended first = Await.result(stores.get(0).append(draft("quiet/t", "old", "k1")));
    // Published to more often than its age, for longer than its age: the log stays.
    long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
    await().pollInterval(Duration.ofMillis(500)).atMost(Duration.ofSeconds(30)).until(() -> {
      Appended next = Await.result(stores.get(1).append(draft("quiet/t", "busy", null)));
      assertThat(next.event().position().epoch()).isEqualTo(first.event().position().epoch());
      return System.nanoTime() > until;
    });
    // Gone from both members, owner and backup: nothing of the topic is left.
    await().atMost(Duration.ofSeconds(60)).until(() -> members.stream()
      .mapToLong(m -> m.getMap(ClusterSetup.LOGS).getLocalMapStats().getOwnedEntryCount()
        + m.getMap(ClusterSetup.LOGS).getLocalMapStats().getBackupEntryCount()).sum() == 0);
    assertThat(Await.result(stores.get(1).head("quiet/t"))).isEqualTo(Position.START);
    Replay resumed = Await.result(stores.get(1).readAfter("quiet/t", first.event().position()));
    assertThat(resumed.gap()).isEqualTo(Gap.UNKNOWN_CURSOR);
    assertThat(resumed.events()).isEmpty();

    Appended fresh = Await.result(stores.get(1).append(draft("quiet/t", "new", "k1")));
    assertThat(fresh.duplicate()).isFalse();
    assertThat(fresh.event().position().epoch()).isNotEqualTo(first.event().position().epoch());
    assertThat(fresh.event().position().seq()).isEqualTo(1);
    Replay afterFresh = Await.result(stores.get(0).readAfter("quiet/t", new Position(first.event().position().epoch(), 2)));
    assertThat(afterFresh.gap()).isEqualTo(Gap.UNKNOWN_CURSOR);
    assertThat(afterFresh.events()).extracting(Event::data).containsExactly("new");
  }

  /**
   * An append names the nodes that follow its topic, from the moment their follow completes until
   * they unfollow; and a followed quiet topic's log outlives its age (its next event in a new epoch
   * would be a false resync), then goes once no longer followed.
   */
  @Test
  void appendsNameTheFollowersAndAFollowedLogOutlivesItsAge(@TempDir Path dir) throws Exception {
    List<ReplayStore> stores = start(dir, 2, 2);
    Appended first = Await.result(stores.get(0).append(draft("followed/t", "only", null)));
    assertThat(first.followers()).isEmpty();
    Position head = Await.result(stores.get(1).follow("followed/t"));
    assertThat(head).isEqualTo(first.event().position());
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    await().pollInterval(Duration.ofMillis(500)).atMost(Duration.ofSeconds(30)).until(() -> {
      Await.result(stores.get(1).follow("followed/t"));
      return System.nanoTime() > until;
    });
    Appended next = Await.result(stores.get(0).append(draft("followed/t", "next", null)));
    assertThat(next.event().position()).isEqualTo(new Position(first.event().position().epoch(), 2));
    assertThat(next.followers()).containsExactly("node-1");

    Await.result(stores.get(1).unfollow("followed/t"));
    assertThat(Await.result(stores.get(0).append(draft("followed/t", "unfollowed", null))).followers()).isEmpty();
    await().atMost(Duration.ofSeconds(60)).until(() -> Await.result(stores.get(1).head("followed/t")).equals(Position.START));
  }

  /** Following a topic that has no log makes one: the follower is then named by its first append. */
  @Test
  void followingATopicWithoutLogNamesTheFollowerInItsFirstAppend(@TempDir Path dir) throws Exception {
    List<ReplayStore> stores = start(dir, 2, 300);
    Position head = Await.result(stores.get(0).follow("new/t"));
    assertThat(head.seq()).isZero();
    assertThat(head.epoch()).isPositive();
    Appended first = Await.result(stores.get(1).append(draft("new/t", "first", null)));
    assertThat(first.event().position()).isEqualTo(new Position(head.epoch(), 1));
    assertThat(first.followers()).containsExactly("node-0");
  }

  @Test
  void aTopicWhosePartitionIsLostComesBackWithANewEpoch(@TempDir Path dir) throws Exception {
    List<ReplayStore> stores = start(dir, 3, 300);
    HazelcastInstance survivor = members.get(0);
    String topic = IntStream.range(0, 10_000).mapToObj(i -> "lost/t" + i)
      .filter(t -> !replicaOf(survivor, t, 0).equals(survivor.getCluster().getLocalMember().getAddress())
        && !replicaOf(survivor, t, 1).equals(survivor.getCluster().getLocalMember().getAddress()))
      .findFirst().orElseThrow();
    Appended before = Await.result(stores.get(0).append(draft(topic, "before", null)));
    members.get(1).getLifecycleService().terminate();
    members.get(2).getLifecycleService().terminate();

    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
      Await.result(stores.get(0).readAfter(topic, before.event().position())).gap() == Gap.UNKNOWN_CURSOR);
    Appended after = Await.result(stores.get(0).append(draft(topic, "after", null)));
    assertThat(after.event().position().epoch()).isNotEqualTo(before.event().position().epoch());
    assertThat(after.event().position().seq()).isEqualTo(1);
  }

  @Test
  void aPurgeDropsTheEventsAndKeepsThePositions(@TempDir Path dir) throws Exception {
    List<ReplayStore> stores = start(dir, 2, 300);
    Appended first = Await.result(stores.get(0).append(draft("purge/t", "a", "k1")));
    Await.result(stores.get(0).append(draft("purge/t", "b", null)));
    Await.result(stores.get(1).purge("purge/t"));
    assertThat(Await.result(stores.get(0).stats("purge/t")))
      .isEqualTo(new ReplayStore.TopicStats(0, new Position(first.event().position().epoch(), 2)));
    Appended next = Await.result(stores.get(0).append(draft("purge/t", "c", null)));
    assertThat(next.event().position()).isEqualTo(new Position(first.event().position().epoch(), 3));
    Replay resumed = Await.result(stores.get(1).readAfter("purge/t", first.event().position()));
    assertThat(resumed.gap()).isEqualTo(Gap.EVICTED);
    assertThat(resumed.events()).extracting(Event::data).containsExactly("c");
    assertThat(Await.result(stores.get(1).latest("purge/t", 5))).extracting(Event::data).containsExactly("c");
    assertThat(Await.result(stores.get(1).append(draft("purge/t", "a", "k1"))).duplicate()).isTrue();
    assertThat(Await.result(stores.get(0).topics("purge/", 10))).containsExactly("purge/t");
  }

  /** {@code count} members of a fresh cluster, each with its store; any one member is a majority. */
  private List<ReplayStore> start(Path dir, int count, int maxAgeSeconds) throws Exception {
    return start(dir, count, maxAgeSeconds, new JsonObject());
  }

  private List<ReplayStore> start(Path dir, int count, int maxAgeSeconds, JsonObject replay) throws Exception {
    HubConfig config = InJvmCluster.config(dir, new JsonObject()
      .put("cluster", new JsonObject().put("minMembers", 1))
      .put("replay", replay.copy().put("maxAgeSeconds", maxAgeSeconds)));
    List<ReplayStore> stores = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      HazelcastInstance member = Hazelcast.newHazelcastInstance(ClusterSetup.hazelcastConfig(config.cluster(), config.replay()));
      members.add(member);
      stores.add(new HazelcastReplayStore(vertx, member, config.replay(), () -> System.currentTimeMillis() * 1000,
        "node-" + stores.size()));
    }
    await().until(() -> members.get(0).getCluster().getMembers().size() == count
      && members.get(0).getPartitionService().isClusterSafe());
    return stores;
  }

  /** The address of the member holding replica {@code index} (0 the owner, 1 the backup) of the topic's log. */
  private static Address replicaOf(HazelcastInstance member, String topic, int index) {
    int partition = member.getPartitionService().getPartition(HazelcastReplayStore.partitionKey(topic)).getPartitionId();
    return ((HazelcastInstanceProxy) member).getOriginal().node.getPartitionService().getPartition(partition)
      .getReplica(index).address();
  }

  private static Event draft(String topic, String data, String key) {
    return new Event(topic, null, null, data, key, 0);
  }
}
