package io.pushhub.support;

import io.pushhub.client.Published;
import io.pushhub.client.PublisherOptions;
import io.pushhub.client.PushhubPublisher;
import io.pushhub.event.Cursor;
import io.pushhub.event.Position;
import io.pushhub.support.SseFollowers.Frame;
import io.pushhub.support.SseFollowers.Stream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Publishers that go on publishing over HTTP, one per hub node, each an event every few
 * milliseconds (with a bound on what is in flight) to the next topic of a set, round robin
 * across them all (so that any {@code n} publishes reach every one of {@code n} topics), through
 * the project's retrying publisher (idempotency keys, retries). It keeps every acknowledged event
 * by its position. Each topic gets a first event before the feed starts: a replay from it reads
 * the topic's whole log.
 */
public final class PublishFeed implements AutoCloseable {

  private static final long EVERY_MILLIS = 10;
  private static final int MAX_IN_FLIGHT = 16;
  /** Topics whose logs are read at once. */
  private static final int READ_BATCH = 100;

  /** A topic's log: its epoch, and each event's data by sequence number. */
  public record TopicLog(long epoch, NavigableMap<Long, String> events) {
  }

  private final Vertx vertx;
  private final List<String> topics;
  private final List<PushhubPublisher> publishers = new ArrayList<>();
  private final Map<String, String> firsts = new ConcurrentHashMap<>();
  private final Map<String, NavigableMap<Long, String>> acknowledged = new ConcurrentHashMap<>();
  private final List<Long> timers = new ArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger counter = new AtomicInteger();

  private PublishFeed(Vertx vertx, List<String> topics, List<Integer> ports) {
    this.vertx = vertx;
    this.topics = List.copyOf(topics);
    for (int port : ports) {
      publishers.add(PushhubPublisher.overHttp(vertx, PublisherOptions.defaults()
        .withBaseUrl("http://127.0.0.1:" + port).withWindow(MAX_IN_FLIGHT, 10_000)));
    }
    topics.forEach(t -> acknowledged.put(t, new ConcurrentSkipListMap<>()));
  }

  /** Publishes each topic's first event, then starts publishing on every one of {@code ports}. */
  public static PublishFeed start(Vertx vertx, List<String> topics, List<Integer> ports) {
    PublishFeed feed = new PublishFeed(vertx, topics, ports);
    List<Future<Published>> firsts = new ArrayList<>();
    for (String topic : topics) {
      String data = "first-" + topic;
      firsts.add(feed.publishers.get(0).publish(topic, data).onSuccess(p -> {
        feed.firsts.put(topic, p.id());
        feed.acknowledged.get(topic).put(position(p.id()).seq(), data);
      }));
    }
    Await.result(Future.all(firsts), 60);
    for (int i = 0; i < feed.publishers.size(); i++) {
      int publisher = i;
      feed.timers.add(vertx.setPeriodic(EVERY_MILLIS, t -> feed.publishOne(publisher)));
    }
    return feed;
  }

  private void publishOne(int publisher) {
    if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
      inFlight.decrementAndGet();
      return;
    }
    int n = counter.getAndIncrement();
    String topic = topics.get(n % topics.size());
    String data = "p" + publisher + "-" + n;
    publishers.get(publisher).publish(topic, data).onComplete(ar -> {
      if (ar.succeeded()) {
        acknowledged.get(topic).put(position(ar.result().id()).seq(), data);
      } else {
        failed.incrementAndGet();
      }
      inFlight.decrementAndGet();
    });
  }

  /** Stops publishing, and waits for the answers of what is in flight. */
  public void stop() {
    timers.forEach(vertx::cancelTimer);
    await().atMost(Duration.ofSeconds(60)).until(() -> inFlight.get() == 0);
  }

  /** The sequence number of the topic's last acknowledged event. */
  public long lastAcknowledged(String topic) {
    return acknowledged.get(topic).lastKey();
  }

  /** A snapshot of {@link #lastAcknowledged} for every topic. */
  public Map<String, Long> lastAcknowledged() {
    Map<String, Long> last = new HashMap<>();
    topics.forEach(t -> last.put(t, lastAcknowledged(t)));
    return last;
  }

  /** Acknowledged publishes, first events included. */
  public int acknowledged() {
    return acknowledged.values().stream().mapToInt(Map::size).sum();
  }

  /** Publishes that failed for good (after the publisher's retries). */
  public int failed() {
    return failed.get();
  }

  /**
   * Reads every topic's log on the node at {@code port}, by a stream that resumes from its first
   * event: contiguous, in one epoch, and holding every acknowledged event at its position.
   * Call it once publishing stopped.
   */
  public Map<String, TopicLog> readLogs(SseFollowers followers, int port) {
    Map<String, TopicLog> logs = new HashMap<>();
    for (int from = 0; from < topics.size(); from += READ_BATCH) {
      Map<String, Stream> reads = new HashMap<>();
      for (String topic : topics.subList(from, Math.min(topics.size(), from + READ_BATCH))) {
        reads.put(topic, followers.open(List.of(port), "/events?topic=" + topic, firsts.get(topic), false));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> reads.entrySet().stream().allMatch(e ->
        e.getValue().lastId() != null && position(e.getValue().lastId()).seq() >= lastAcknowledged(e.getKey())));
      reads.forEach((topic, read) -> {
        read.close();
        Position first = position(firsts.get(topic));
        NavigableMap<Long, String> events = new TreeMap<>(Map.of(first.seq(), "first-" + topic));
        for (Frame frame : read.frames()) {
          Position p = frame.id() == null ? null : position(frame.id());
          assertThat(p).as("a frame of the log of %s: %s", topic, frame).isNotNull();
          if (frame.data() == null && p.seq() == events.lastKey()) {
            continue;
          }
          assertThat(p.epoch()).as("epoch of %s in the log of %s", frame, topic).isEqualTo(first.epoch());
          assertThat(p.seq()).as("position of %s in the log of %s", frame, topic).isEqualTo(events.lastKey() + 1);
          events.put(p.seq(), frame.data());
        }
        assertThat(events).as("log of %s", topic).containsAllEntriesOf(acknowledged.get(topic));
        logs.put(topic, new TopicLog(first.epoch(), events));
      });
    }
    return logs;
  }

  /** The one position of a single-topic cursor, or null when it is not one. */
  public static Position position(String cursor) {
    Map<Integer, Cursor.Entry> parsed = Cursor.parse(cursor);
    return parsed == null || parsed.size() != 1 ? null : parsed.values().iterator().next().position();
  }

  @Override
  public void close() {
    timers.forEach(vertx::cancelTimer);
    publishers.forEach(p -> Await.result(p.close()));
  }
}
