package io.pushhub.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.ringbuffer.OverflowPolicy;
import com.hazelcast.ringbuffer.ReadResultSet;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.pushhub.config.HubConfig;
import io.pushhub.event.Event;
import io.pushhub.event.EventCodec;
import io.pushhub.event.Position;
import io.pushhub.replay.ReplayStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The cluster's replay store: one Hazelcast {@link Ringbuffer} per topic, with a synchronous
 * backup, so losing any one member loses no acknowledged event. The ring's partition owner
 * serialises appends, so its sequence is the topic's one order, whichever node published.
 *
 * <p>A ring's sequence restarts at 0 when the ring is lost (a whole-cluster restart, or a
 * partition and its backup lost together), so each topic has an epoch in the
 * {@link ClusterSetup#EPOCHS} map. The ring's name carries its partition key, and the epoch's map
 * key is that same key, so both live in one partition and are lost together, never one without
 * the other: a lost log always comes back with a new epoch. Each node caches the epochs it has
 * seen, and forgets them all when any partition is lost.
 *
 * <p>A purge keeps the ring and its epoch (other nodes' caches stay right, and positions are
 * never reused): it records in {@link ClusterSetup#PURGED}, colocated too, the first ring index
 * still visible, and reads skip what lies before it.
 */
public final class HazelcastReplayStore implements ReplayStore {

  /** Hazelcast's limit for one {@code readMany}. */
  private static final int READ_BATCH = 1000;

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final int maxEvents;
  private final long maxAgeMicros;
  private final LongSupplier clockMicros;
  private final IMap<String, Long> epochs;
  private final IdempotencyKeys idempotency;
  private final IMap<String, Long> purged;
  private final Map<String, Long> knownEpochs = new ConcurrentHashMap<>();

  public HazelcastReplayStore(Vertx vertx, HazelcastInstance hazelcast, HubConfig.Replay config, LongSupplier clockMicros) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.maxEvents = config.maxEvents();
    this.maxAgeMicros = config.maxAgeSeconds() * 1_000_000L;
    this.clockMicros = clockMicros;
    this.epochs = hazelcast.getMap(ClusterSetup.EPOCHS);
    this.idempotency = new IdempotencyKeys(vertx, hazelcast, config.maxAgeSeconds(), this::appendToRing,
      this::storedWithKey);
    this.purged = hazelcast.getMap(ClusterSetup.PURGED);
    // A lost partition may have taken rings and their epochs with it: re-read every epoch.
    hazelcast.getPartitionService().addPartitionLostListener(lost -> knownEpochs.clear());
    // A member that merged back after a split holds what the majority holds now, nothing of its own.
    hazelcast.getLifecycleService().addLifecycleListener(event -> {
      if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
        knownEpochs.clear();
      }
    });
  }

  @Override
  public Future<Appended> append(Event draft) {
    return draft.key() == null
      ? appendToRing(draft).map(event -> new Appended(event, false))
      : idempotency.append(draft);
  }

  /** The retained event of {@code topic} published with idempotency key {@code key}, or null. */
  private Future<Event> storedWithKey(String topic, String key) {
    return epoch(topic, false).compose(epoch -> epoch == null
      ? Future.succeededFuture(null)
      : readFrom(topic, epoch, 0).map(replay -> replay.events().stream()
        .filter(e -> key.equals(e.key())).findFirst().orElse(null)));
  }

  private Future<Event> appendToRing(Event draft) {
    String topic = draft.topic();
    return epoch(topic, true).compose(epoch -> {
      long now = clockMicros.getAsLong();
      Event stored = draft.withPosition(new Position(epoch, 0), now);
      return on(ring(topic).addAsync(EventCodec.encode(stored), OverflowPolicy.OVERWRITE))
        .map(index -> stored.withPosition(new Position(epoch, index + 1), now));
    });
  }

  @Override
  public Future<Replay> readAfter(String topic, Position after) {
    return epoch(topic, false).compose(epoch -> {
      if (epoch == null) {
        return Future.succeededFuture(
          new Replay(List.of(), after.equals(Position.START) ? Gap.NONE : Gap.UNKNOWN_CURSOR, Position.START));
      }
      boolean sameLog = after.epoch() == epoch;
      if (!sameLog && !after.equals(Position.START)) {
        return readFrom(topic, epoch, 0).map(r -> new Replay(r.events(), Gap.UNKNOWN_CURSOR, r.head()));
      }
      long from = sameLog ? after.seq() : 0;
      return readFrom(topic, epoch, from).recover(e -> e instanceof IllegalArgumentException
        // The position is past the ring's tail: not a position of this log.
        ? readFrom(topic, epoch, 0).map(r -> new Replay(r.events(), Gap.UNKNOWN_CURSOR, r.head()))
        : Future.failedFuture(e));
    });
  }

  /** Reads ring indexes {@code from} onwards (event seq = index + 1), dropping purged events and those past their age. */
  private Future<Replay> readFrom(String topic, long epoch, long from) {
    List<Event> events = new ArrayList<>();
    return purgedBefore(topic).compose(floor -> readBatches(ring(topic), Math.max(from, floor), events)).map(next -> {
      long oldest = clockMicros.getAsLong() - maxAgeMicros;
      List<Event> kept = new ArrayList<>(events.size());
      for (Event e : events) {
        if (e.publishedAtMicros() >= oldest) {
          kept.add(e.withPosition(new Position(epoch, e.position().seq()), e.publishedAtMicros()));
        }
      }
      long firstAvailable = kept.isEmpty() ? next + 1 : kept.get(0).position().seq();
      Gap gap = firstAvailable == from + 1 ? Gap.NONE : Gap.EVICTED;
      return new Replay(kept, gap, new Position(epoch, Math.max(next, from)));
    });
  }

  /** Reads everything from {@code from}; completes with the index after the last one read. */
  private Future<Long> readBatches(Ringbuffer<byte[]> ring, long from, List<Event> into) {
    return on(ring.readManyAsync(from, 0, Math.min(READ_BATCH, maxEvents), null)).compose(batch -> {
      int count = batch.readCount();
      for (int i = 0; i < count; i++) {
        Event e = EventCodec.decode(batch.get(i));
        into.add(e.withPosition(new Position(0, batch.getSequence(i) + 1), e.publishedAtMicros()));
      }
      long next = count == 0 ? from : batch.getSequence(count - 1) + 1;
      if (count < READ_BATCH || into.size() >= maxEvents) {
        return Future.succeededFuture(next);
      }
      return readBatches(ring, next, into);
    });
  }

  @Override
  public Future<Position> head(String topic) {
    return epoch(topic, false).compose(epoch -> {
      if (epoch == null) {
        return Future.succeededFuture(Position.START);
      }
      // tailSequence() has no async form: a short remote call, kept off the event loop.
      return vertx.executeBlocking(() -> new Position(epoch, ring(topic).tailSequence() + 1), false);
    });
  }

  @Override
  public Future<Void> purge(String topic) {
    // tailSequence() has no async form: a short remote call, kept off the event loop.
    return vertx.executeBlocking(() -> {
      purged.set(partitionKey(topic), ring(topic).tailSequence() + 1);
      return null;
    }, false);
  }

  /** The first ring index a purge left visible (0 when never purged). */
  private Future<Long> purgedBefore(String topic) {
    return on(purged.getAsync(partitionKey(topic))).map(floor -> floor == null ? 0L : floor);
  }

  @Override
  public Future<TopicStats> stats(String topic) {
    return epoch(topic, false).compose(epoch -> epoch == null
      ? Future.succeededFuture(new TopicStats(0, Position.START))
      : purgedBefore(topic).compose(floor -> vertx.executeBlocking(() -> {
          Ringbuffer<byte[]> ring = ring(topic);
          long tail = ring.tailSequence();
          long retained = Math.max(0, tail + 1 - Math.max(ring.headSequence(), floor));
          return new TopicStats(retained, new Position(epoch, tail + 1));
        }, false)));
  }

  @Override
  public Future<List<Event>> latest(String topic, int count) {
    return stats(topic).compose(stats -> stats.head().epoch() == 0 ? Future.succeededFuture(List.of())
      : readFrom(topic, stats.head().epoch(), Math.max(0, stats.head().seq() - count)).map(Replay::events));
  }

  @Override
  public Future<List<String>> topics(String prefix, int limit) {
    return vertx.executeBlocking(() -> epochs.keySet().stream().map(HazelcastReplayStore::topicOf)
      .filter(t -> t.startsWith(prefix)).sorted().limit(limit).toList(), false);
  }

  private Future<Long> epoch(String topic, boolean create) {
    Long known = knownEpochs.get(topic);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    String key = partitionKey(topic);
    return on(epochs.getAsync(key)).compose(existing -> {
      if (existing != null || !create) {
        return Future.succeededFuture(existing);
      }
      long fresh = newEpoch();
      return vertx.executeBlocking(() -> epochs.putIfAbsent(key, fresh), false).map(winner -> winner == null ? fresh : winner);
    }).onSuccess(epoch -> {
      if (epoch != null) {
        knownEpochs.put(topic, epoch);
      }
    });
  }

  private Ringbuffer<byte[]> ring(String topic) {
    String key = partitionKey(topic);
    return hazelcast.getRingbuffer(ClusterSetup.RING_PREFIX + key + "@" + key);
  }

  /**
   * The topic as a Hazelcast partition key: {@code @} escaped, since in an object name everything
   * after the first {@code @} is the partition key.
   */
  static String partitionKey(String topic) {
    return topic.replace("%", "%25").replace("@", "%40");
  }

  static String topicOf(String partitionKey) {
    return partitionKey.replace("%40", "@").replace("%25", "%");
  }

  private static long newEpoch() {
    return ThreadLocalRandom.current().nextLong(1, 1L << 40);
  }

  /** Brings a Hazelcast completion back onto the caller's Vert.x context. */
  private <T> Future<T> on(CompletionStage<T> stage) {
    return on(vertx, stage);
  }

  static <T> Future<T> on(Vertx vertx, CompletionStage<T> stage) {
    Context context = Vertx.currentContext();
    return Future.fromCompletionStage(stage, context != null ? context : vertx.getOrCreateContext());
  }
}
