package io.pushhub.replay;

import io.pushhub.config.HubConfig;
import io.pushhub.event.Event;
import io.pushhub.event.Position;
import io.vertx.core.Future;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The replay store of a single node: one bounded log per topic in this JVM's memory, shared by
 * the node's event loops. Each log is guarded by its own lock; the critical sections are short
 * and never wait on anything.
 */
public final class MemoryReplayStore implements ReplayStore {

  private final int maxEvents;
  private final long maxAgeMicros;
  private final LongSupplier clockMicros;
  private final Map<String, TopicLog> logs = new ConcurrentHashMap<>();

  public MemoryReplayStore(HubConfig.Replay config, LongSupplier clockMicros) {
    this.maxEvents = config.maxEvents();
    this.maxAgeMicros = config.maxAgeSeconds() * 1_000_000L;
    this.clockMicros = clockMicros;
  }

  @Override
  public Future<Appended> append(Event draft) {
    while (true) {
      TopicLog log = logs.computeIfAbsent(draft.topic(), t -> new TopicLog(newEpoch()));
      synchronized (log) {
        if (!log.removed) {
          return Future.succeededFuture(log.append(draft, clockMicros.getAsLong()));
        }
      }
    }
  }

  @Override
  public Future<Replay> readAfter(String topic, Position after) {
    TopicLog log = logs.get(topic);
    if (log == null) {
      Replay empty = new Replay(List.of(), after.equals(Position.START) ? Gap.NONE : Gap.UNKNOWN_CURSOR, Position.START);
      return Future.succeededFuture(empty);
    }
    synchronized (log) {
      return Future.succeededFuture(log.readAfter(after, clockMicros.getAsLong()));
    }
  }

  @Override
  public Future<Position> head(String topic) {
    TopicLog log = logs.get(topic);
    if (log == null) {
      return Future.succeededFuture(Position.START);
    }
    synchronized (log) {
      return Future.succeededFuture(log.head());
    }
  }

  @Override
  public Future<Void> purge(String topic) {
    TopicLog log = logs.get(topic);
    if (log != null) {
      synchronized (log) {
        log.events.clear();
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<TopicStats> stats(String topic) {
    TopicLog log = logs.get(topic);
    if (log == null) {
      return Future.succeededFuture(new TopicStats(0, Position.START));
    }
    synchronized (log) {
      log.expire(clockMicros.getAsLong());
      return Future.succeededFuture(new TopicStats(log.events.size(), log.head()));
    }
  }

  @Override
  public Future<List<Event>> latest(String topic, int count) {
    TopicLog log = logs.get(topic);
    if (log == null) {
      return Future.succeededFuture(List.of());
    }
    synchronized (log) {
      log.expire(clockMicros.getAsLong());
      List<Event> all = List.copyOf(log.events);
      return Future.succeededFuture(all.subList(Math.max(0, all.size() - count), all.size()));
    }
  }

  @Override
  public Future<List<String>> topics(String prefix, int limit) {
    return Future.succeededFuture(logs.keySet().stream().filter(t -> t.startsWith(prefix)).sorted().limit(limit)
      .toList());
  }

  /**
   * Drops expired events and idempotency keys, and forgets topics that have neither and no
   * subscriber on this node. A forgotten topic starts a new epoch when it is published to again,
   * so a cursor into it gets a resync; a topic that streams follow is kept however quiet it is,
   * so that they never get one for nothing.
   */
  public void expire(Predicate<String> subscribed) {
    long now = clockMicros.getAsLong();
    for (Iterator<Map.Entry<String, TopicLog>> it = logs.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, TopicLog> entry = it.next();
      TopicLog log = entry.getValue();
      synchronized (log) {
        log.expire(now);
        if (log.events.isEmpty() && log.keys.isEmpty() && now - log.lastAppendMicros > maxAgeMicros
          && !subscribed.test(entry.getKey())) {
          log.removed = true;
          it.remove();
        }
      }
    }
  }

  private static long newEpoch() {
    // 40 random bits: short in base 36, and two logs of one topic never share an epoch in practice.
    return ThreadLocalRandom.current().nextLong(1, 1L << 40);
  }

  private final class TopicLog {
    final long epoch;
    final ArrayDeque<Event> events = new ArrayDeque<>();
    /** Idempotency keys in publish order, with the event they named. */
    final LinkedHashMap<String, Event> keys = new LinkedHashMap<>();
    long lastSeq;
    long lastAppendMicros;
    boolean removed;

    TopicLog(long epoch) {
      this.epoch = epoch;
    }

    Appended append(Event draft, long now) {
      expire(now);
      if (draft.key() != null) {
        Event first = keys.get(draft.key());
        if (first != null) {
          return new Appended(first, true);
        }
      }
      Event event = draft.withPosition(new Position(epoch, ++lastSeq), now);
      lastAppendMicros = now;
      events.addLast(event);
      if (events.size() > maxEvents) {
        events.removeFirst();
      }
      if (event.key() != null) {
        keys.put(event.key(), event);
      }
      return new Appended(event, false);
    }

    Replay readAfter(Position after, long now) {
      expire(now);
      Position head = head();
      boolean sameLog = after.epoch() == epoch && after.seq() <= lastSeq;
      if (!sameLog && !after.equals(Position.START)) {
        return new Replay(List.copyOf(events), Gap.UNKNOWN_CURSOR, head);
      }
      long from = sameLog ? after.seq() : 0;
      List<Event> out = new ArrayList<>();
      for (Event e : events) {
        if (e.position().seq() > from) {
          out.add(e);
        }
      }
      long firstAvailable = out.isEmpty() ? lastSeq + 1 : out.get(0).position().seq();
      return new Replay(out, firstAvailable == from + 1 ? Gap.NONE : Gap.EVICTED, head);
    }

    Position head() {
      return new Position(epoch, lastSeq);
    }

    void expire(long now) {
      long oldest = now - maxAgeMicros;
      while (!events.isEmpty() && events.peekFirst().publishedAtMicros() < oldest) {
        events.removeFirst();
      }
      for (Iterator<Event> it = keys.values().iterator(); it.hasNext(); ) {
        if (it.next().publishedAtMicros() >= oldest) {
          break;
        }
        it.remove();
      }
    }
  }
}
