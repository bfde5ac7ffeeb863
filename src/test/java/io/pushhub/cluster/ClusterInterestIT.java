package io.pushhub.cluster;

import io.pushhub.event.Position;
import io.pushhub.support.HubCluster;
import io.pushhub.support.PublishFeed;
import io.pushhub.support.PublishFeed.TopicLog;
import io.pushhub.support.SseFollowers;
import io.pushhub.support.SseFollowers.Frame;
import io.pushhub.support.SseFollowers.Stream;
import io.pushhub.support.Teardown;
import io.vertx.core.Vertx;
import org.awaitility.core.ConditionTimeoutException;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.pushhub.support.PublishFeed.position;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Streams on one node whose topics are published on the others, while the node's set of
 * followed topics keeps changing: streams come and go, a topic's last stream on the node
 * closes and a new one opens while its events are in flight, a node dies and its streams
 * resume elsewhere all at once. Whatever the node does to receive only the topics it follows,
 * every stream must get each event of its topic from where it started, once and in order; the
 * reference is the topic's log as a fresh replay from its first event reads it.
 */
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterInterestIT {

  /** Streams opening and closing at once on the node under test. */
  private static final int CHURNERS = 6;
  /** How long streams come and go at least, and at most while they have not yet done {@link #enough}. */
  private static final Duration CHURN = Duration.ofSeconds(15);
  private static final Duration CHURN_AT_MOST = Duration.ofSeconds(60);

  @TempDir
  static Path dir;
  private static HubCluster cluster;
  private static Vertx vertx;
  private static SseFollowers followers;

  @BeforeAll
  static void start() throws Exception {
    cluster = new HubCluster(dir, HubCluster.DRILL_CONFIG);
    cluster.start(3);
    vertx = Vertx.vertx();
    followers = new SseFollowers(vertx);
  }

  @AfterAll
  static void stop() {
    Teardown.closeAll(vertx, followers, cluster);
  }

  /** A stream that was followed, and where it was opened from ({@code null}: live). */
  private record Followed(String topic, String openedWith, Stream stream) {
  }

  @Test
  @Order(1)
  void streamsThatComeAndGoWhilePublishingMissNothing() throws Exception {
    List<String> topics = IntStream.range(0, 8).mapToObj(i -> "churn/t" + i).toList();
    int node = cluster.port(2);
    List<Followed> followed = Collections.synchronizedList(new ArrayList<>());
    List<String> problems = Collections.synchronizedList(new ArrayList<>());
    Map<String, AtomicInteger> openOnNode = new ConcurrentHashMap<>();
    Map<String, String> lastClosed = new ConcurrentHashMap<>();
    AtomicInteger interestReturns = new AtomicInteger();
    ScheduledExecutorService pool = Executors.newScheduledThreadPool(CHURNERS);
    try (PublishFeed feed = PublishFeed.start(vertx, topics, List.of(cluster.port(0), cluster.port(1)))) {
      long startedAt = System.nanoTime();
      List<CompletableFuture<Void>> churners = new ArrayList<>();
      for (int c = 0; c < CHURNERS; c++) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        churners.add(done);
        Runnable[] openNext = new Runnable[1];
        openNext[0] = guarded(done, () -> {
          long churned = System.nanoTime() - startedAt;
          if (churned > CHURN_AT_MOST.toNanos() || churned > CHURN.toNanos() && enough(followed, interestReturns.get())) {
            done.complete(null);
            return;
          }
          ThreadLocalRandom random = ThreadLocalRandom.current();
          String topic = topics.get(random.nextInt(topics.size()));
          String resumeFrom = random.nextInt(3) == 0 ? lastClosed.get(topic) : null;
          if (openOnNode.computeIfAbsent(topic, t -> new AtomicInteger()).getAndIncrement() == 0
            && lastClosed.containsKey(topic)) {
            interestReturns.incrementAndGet();
          }
          Stream stream = followers.open(List.of(node), "/events?topic=" + topic, resumeFrom, false);
          followed.add(new Followed(topic, resumeFrom, stream));
          pool.schedule(guarded(done, () -> {
            // Before it closes, the stream must have had every event acknowledged so far: none is lost at its tail.
            long acknowledged = feed.lastAcknowledged(topic);
            try {
              await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                .until(() -> stream.ended() || seq(stream.lastId()) >= acknowledged);
            } catch (ConditionTimeoutException e) {
              problems.add(topic + " stream from " + resumeFrom + " did not reach acknowledged position "
                + acknowledged + ": " + stream.frames());
            }
            if (stream.ended()) {
              problems.add(topic + " stream from " + resumeFrom + " was ended by the hub: " + stream.frames());
            }
            stream.close();
            if (stream.lastId() != null) {
              lastClosed.put(topic, stream.lastId());
            }
            openOnNode.get(topic).decrementAndGet();
            pool.schedule(openNext[0], random.nextInt(200), TimeUnit.MILLISECONDS);
          }), 50 + random.nextInt(1200), TimeUnit.MILLISECONDS);
        });
        pool.execute(openNext[0]);
      }
      CompletableFuture.allOf(churners.toArray(CompletableFuture[]::new))
        .get(CHURN_AT_MOST.toSeconds() + 60, TimeUnit.SECONDS);
      feed.stop();

      Map<String, TopicLog> logs = feed.readLogs(followers, cluster.port(0));
      followed.forEach(f -> check(f, logs.get(f.topic()), 0, problems));
      String summary = String.format("%d streams (%d opened with Last-Event-ID, %d with events), %d events, "
          + "%d times a topic's streams on the node went from none to one, %d publishes acknowledged, %d failed",
        followed.size(), followed.stream().filter(f -> f.openedWith() != null).count(),
        followed.stream().filter(f -> events(f) > 0).count(), followed.stream().mapToLong(ClusterInterestIT::events).sum(),
        interestReturns.get(), feed.acknowledged(), feed.failed());
      System.out.println("interest churn: " + summary);
      assertThat(problems).as("streams that missed, repeated or misordered events").isEmpty();
      assertThat(enough(followed, interestReturns.get())).as("enough churn to mean something: %s", summary).isTrue();
    } finally {
      pool.shutdownNow();
      followed.forEach(f -> f.stream().close());
    }
  }

  @Test
  @Order(2)
  void reconnectStormAfterANodeIsKilled() throws Exception {
    List<String> topics = IntStream.range(0, 500).mapToObj(i -> "storm/t" + i).toList();
    int[] streamsPerTopic = {1, 4, 5, 5, 5};
    int doomed = cluster.port(2);
    List<Integer> survivors = List.of(cluster.port(0), cluster.port(1));
    List<Followed> followed = new ArrayList<>();
    try (PublishFeed feed = PublishFeed.start(vertx, topics, survivors)) {
      for (int t = 0; t < topics.size(); t++) {
        for (int k = 0; k < streamsPerTopic[t % streamsPerTopic.length]; k++) {
          List<Integer> ports = List.of(doomed, survivors.get(followed.size() % survivors.size()));
          followed.add(new Followed(topics.get(t), null, followers.open(ports, "/events?topic=" + topics.get(t), null, true)));
        }
        if (t % 50 == 49) {
          // In steps, so that the connects do not overflow the node's accept queue.
          awaitAll(followed, "streams started", f -> f.stream().lastId() != null);
        }
      }
      int streams = followed.size();
      // Every stream has had live events from the node before it dies.
      awaitAll(followed, "streams with events", f -> events(f) > 0);
      assertThat(followed).as("streams on the node to be killed")
        .allSatisfy(f -> assertThat(f.stream().answeredBy()).containsExactly(doomed));

      Map<String, Long> atKill = feed.lastAcknowledged();
      long killedAt = System.nanoTime();
      cluster.node(2).sigkill();
      awaitAll(followed, "streams resumed on another node", f -> f.stream().answeredBy().size() >= 2);
      long[] resumedMillis = followed.stream().mapToLong(f -> (f.stream().answeredNanos() - killedAt) / 1_000_000)
        .sorted().toArray();
      awaitAll(followed, "streams that had every event acknowledged before the kill",
        f -> seq(f.stream().lastId()) >= atKill.get(f.topic()));
      long caughtUpMillis = (System.nanoTime() - killedAt) / 1_000_000;
      // One round of the topics more, so that each stream has events from after the kill as well.
      int afterKill = feed.acknowledged();
      await().atMost(Duration.ofSeconds(60)).until(() -> feed.acknowledged() >= afterKill + topics.size());
      feed.stop();

      Map<String, Long> last = feed.lastAcknowledged();
      awaitAll(followed, "streams that had every acknowledged event", f -> seq(f.stream().lastId()) >= last.get(f.topic()));
      Map<String, TopicLog> logs = feed.readLogs(followers, survivors.get(0));
      List<String> problems = new ArrayList<>();
      followed.forEach(f -> check(f, logs.get(f.topic()), last.get(f.topic()), problems));
      System.out.printf("reconnect storm: %d streams on %d topics; after SIGKILL, resumed on the other nodes in "
          + "%d ms (first) / %d ms (half) / %d ms (all), all had every event acknowledged before the kill in %d ms; "
          + "%d events, %d publishes acknowledged, %d failed; refused connects: %s%n",
        streams, topics.size(), resumedMillis[0], resumedMillis[streams / 2], resumedMillis[streams - 1], caughtUpMillis,
        followed.stream().mapToLong(ClusterInterestIT::events).sum(), feed.acknowledged(), feed.failed(), followed.stream().flatMap(f -> f.stream().refusals().stream())
          .collect(Collectors.groupingBy(r -> r, Collectors.counting())));
      assertThat(problems).as("streams that missed, repeated or misordered events").isEmpty();
      assertThat(followed).as("streams that moved to the surviving nodes").allSatisfy(f -> {
        List<Integer> answeredBy = f.stream().answeredBy();
        assertThat(answeredBy.subList(1, answeredBy.size())).isNotEmpty().allMatch(survivors::contains);
      });
      assertThat(followed).as("streams with events from after the kill")
        .allMatch(f -> seq(f.stream().lastId()) > atKill.get(f.topic()));
    } finally {
      followed.forEach(f -> f.stream().close());
    }
  }

  /**
   * Checks one stream against its topic's log: it starts at its id-only frame or its
   * Last-Event-ID, then each frame is the next event of the log, up to at least {@code atLeast}.
   * Adds what is wrong to {@code problems}.
   */
  private static void check(Followed f, TopicLog log, long atLeast, List<String> problems) {
    Position at = f.openedWith() == null ? null : position(f.openedWith());
    for (Frame frame : f.stream().frames()) {
      String wrong = null;
      Position p = frame.id() == null ? null : position(frame.id());
      if (p == null || !frame.event().equals("message") || p.epoch() != log.epoch()) {
        wrong = "a frame that is not an event of the topic's log";
      } else if (frame.data() == null && at != null && !p.equals(at)) {
        wrong = "an id-only frame that moves the stream";
      } else if (frame.data() != null && (at == null || p.seq() != at.seq() + 1)) {
        wrong = at == null ? "an event before the stream's start" : "an event not next after " + at.seq();
      } else if (frame.data() != null && !frame.data().equals(log.events().get(p.seq()))) {
        wrong = "another event than the log's at " + p.seq() + " (" + log.events().get(p.seq()) + ")";
      }
      if (wrong != null) {
        problems.add(f.topic() + " stream from " + f.openedWith() + ": " + wrong + ": " + frame + " in " + f.stream().frames());
        return;
      }
      at = p;
    }
    if (at == null || at.seq() < atLeast) {
      problems.add(f.topic() + " stream from " + f.openedWith() + " stopped before " + atLeast + ": " + f.stream().frames());
    }
  }

  /** {@code step}, whose failure fails {@code done} rather than vanishing in an executor. */
  private static Runnable guarded(CompletableFuture<Void> done, Runnable step) {
    return () -> {
      try {
        step.run();
      } catch (RuntimeException | Error e) {
        done.completeExceptionally(e);
      }
    };
  }

  /** Waits until every stream satisfies {@code condition}, else fails naming a few that do not. */
  private static void awaitAll(List<Followed> followed, String what, Predicate<Followed> condition) {
    try {
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
        .until(() -> followed.stream().allMatch(condition));
    } catch (ConditionTimeoutException e) {
      List<Followed> behind = followed.stream().filter(condition.negate()).toList();
      throw new AssertionError(what + ": " + behind.size() + " of " + followed.size() + " are not, such as "
        + behind.subList(0, Math.min(3, behind.size())).stream()
          .map(f -> f.topic() + " answered by " + f.stream().answeredBy() + " " + f.stream().frames()).toList(), e);
    }
  }

  /**
   * Whether streams came and went enough for their checks to mean something: many streams, some
   * resumed, events received, and topics that had no stream on the node and then had one again.
   */
  private static boolean enough(List<Followed> followed, int interestReturns) {
    List<Followed> all;
    synchronized (followed) {
      all = List.copyOf(followed);
    }
    return all.size() >= 60 && all.stream().filter(f -> f.openedWith() != null).count() >= 10
      && all.stream().filter(f -> events(f) > 0).count() >= 40
      && all.stream().mapToLong(ClusterInterestIT::events).sum() >= 500 && interestReturns >= 20;
  }

  private static long events(Followed f) {
    return f.stream().frames().stream().filter(frame -> frame.data() != null).count();
  }

  private static long seq(String cursor) {
    Position p = cursor == null ? null : position(cursor);
    return p == null ? -1 : p.seq();
  }
}
