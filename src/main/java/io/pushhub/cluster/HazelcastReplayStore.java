package io.pushhub.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.pushhub.config.HubConfig;
import io.pushhub.event.Event;
import io.pushhub.event.EventCodec;
import io.pushhub.event.Position;
import io.pushhub.replay.ReplayStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The cluster's replay store: one entry per topic in the {@link ClusterSetup#LOGS} map, a
 * {@link TopicLog}, with a synchronous backup, so losing any one member loses no acknowledged
 * event. Every operation is one entry processor on the topic's partition, whose owner runs them
 * one after the other: an append creates the log if needed, checks the idempotency key and takes
 * the next position in one round trip, and that order is the topic's one order, whichever node
 * published. Reads run there too and bring back only what was asked.
 *
 * <p>A log that is lost (a partition and its backup together, a whole-cluster restart) or that
 * expired (no append for {@code replay.maxAgeSeconds}: the map's time-to-live counts from the
 * entry's last update) is simply absent: the next append creates it with a new epoch, and cursors
 * into the old one get {@code unknown-cursor}. Nodes cache nothing of a log, so there is nothing
 * to forget when a partition is lost or a member merges back.
 */
public final class HazelcastReplayStore implements ReplayStore {

  private final Vertx vertx;
  private final IMap<String, TopicLog> logs;
  private final int maxEvents;
  private final long maxAgeMicros;
  private final LongSupplier clockMicros;
  private final String nodeId;

  /** @param nodeId the hub node this store serves: it follows topics under that id */
  public HazelcastReplayStore(Vertx vertx, HazelcastInstance hazelcast, HubConfig.Replay config, LongSupplier clockMicros,
                              String nodeId) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.logs = hazelcast.getMap(ClusterSetup.LOGS);
    this.maxEvents = config.maxEvents();
    this.maxAgeMicros = config.maxAgeSeconds() * 1_000_000L;
    this.clockMicros = clockMicros;
  }

  @Override
  public Future<Appended> append(Event draft) {
    long now = clockMicros.getAsLong();
    LogAppend append = new LogAppend(EventCodec.encode(draft.withPosition(Position.START, now)), draft.key(),
      newEpoch(), now, maxAgeMicros, maxEvents);
    return on(logs.submitToKey(partitionKey(draft.topic()), append)).map(at -> at.duplicate
      ? new Appended(draft.withPosition(new Position(at.epoch, at.seq), 0), true)
      : new Appended(draft.withPosition(new Position(at.epoch, at.seq), now), false, Arrays.asList(at.followers)));
  }

  @Override
  public Future<Replay> readAfter(String topic, Position after) {
    return read(topic, LogRead.after(after.epoch(), after.seq(), oldest())).map(answer -> answer == null
      ? new Replay(List.of(), after.equals(Position.START) ? Gap.NONE : Gap.UNKNOWN_CURSOR, Position.START)
      : decodeEvents((byte[]) answer));
  }

  @Override
  public Future<Position> head(String topic) {
    return read(topic, LogRead.head()).map(answer -> answer == null ? Position.START
      : new Position(((long[]) answer)[0], ((long[]) answer)[1]));
  }

  @Override
  public Future<Void> purge(String topic) {
    return on(logs.submitToKey(partitionKey(topic), new LogPurge())).mapEmpty();
  }

  /** The lease lasts the age: a node that died without unfollowing stops being sent events by then. */
  @Override
  public Future<Position> follow(String topic) {
    LogFollow follow = LogFollow.follow(nodeId, clockMicros.getAsLong() + maxAgeMicros, newEpoch());
    return on(logs.submitToKey(partitionKey(topic), follow)).map(head -> new Position(head[0], head[1]));
  }

  @Override
  public Future<Void> unfollow(String topic) {
    return on(logs.submitToKey(partitionKey(topic), LogFollow.unfollow(nodeId))).mapEmpty();
  }

  @Override
  public Future<TopicStats> stats(String topic) {
    return read(topic, LogRead.stats(oldest())).map(answer -> {
      if (answer == null) {
        return new TopicStats(0, Position.START);
      }
      long[] stats = (long[]) answer;
      return new TopicStats(stats[0], new Position(stats[1], stats[2]));
    });
  }

  @Override
  public Future<List<Event>> latest(String topic, int count) {
    return read(topic, LogRead.latest(count, oldest())).map(answer -> answer == null ? List.of()
      : decodeEvents((byte[]) answer).events());
  }

  @Override
  public Future<List<String>> topics(String prefix, int limit) {
    // keySet() has no async form: a remote call to every member, kept off the event loop.
    return vertx.executeBlocking(() -> logs.keySet().stream()
      .filter(t -> t.startsWith(prefix)).sorted().limit(limit).toList(), false);
  }

  private Future<Object> read(String topic, LogRead read) {
    return on(logs.submitToKey(partitionKey(topic), read));
  }

  private long oldest() {
    return clockMicros.getAsLong() - maxAgeMicros;
  }

  /** Reads what {@link LogRead} encodes: the gap, the head, then the events. */
  private static Replay decodeEvents(byte[] answer) {
    ByteBuffer in = ByteBuffer.wrap(answer);
    Gap gap = Gap.values()[in.get()];
    Position head = new Position(in.getLong(), in.getLong());
    int count = in.getInt();
    List<Event> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] event = new byte[in.getInt()];
      in.get(event);
      events.add(EventCodec.decode(event));
    }
    return new Replay(events, gap, head);
  }

  /** The key of a topic's log, and so its partition key: the topic itself. */
  static String partitionKey(String topic) {
    return topic;
  }

  private static long newEpoch() {
    // 40 random bits: short in base 36, and two logs of one topic never share an epoch in practice.
    return ThreadLocalRandom.current().nextLong(1, 1L << 40);
  }

  private <T> Future<T> on(CompletionStage<T> stage) {
    return HazelcastFutures.on(vertx, stage);
  }
}
