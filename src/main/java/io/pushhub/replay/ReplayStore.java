package io.pushhub.replay;

import io.pushhub.event.Event;
import io.pushhub.event.Position;
import io.vertx.core.Future;

import java.util.List;

/**
 * The per-topic event log that publishes are acknowledged against and streams resume from.
 * It is also the sequencer: {@link #append} gives each event of a topic the next position, and
 * that order is the one every subscriber receives. Implementations complete their futures on the
 * caller's Vert.x context.
 */
public interface ReplayStore {

  /**
   * Registers this node's interest in {@code topic} and answers the head: every event stored
   * after this completes is in {@link Appended#followers()} (so it reaches this node), and every
   * one stored before is at or behind the head. Also keeps the topic's log from being forgotten
   * for its age, however quiet it is: a live stream that sees the next event under a new epoch
   * would be told of a loss that did not happen. Renewed for every followed topic at least twice
   * per {@code replay.maxAgeSeconds}. A store whose events reach every node anyway only answers
   * the head.
   */
  default Future<Position> follow(String topic) {
    return head(topic);
  }

  /** Ends this node's interest in {@code topic}. */
  default Future<Void> unfollow(String topic) {
    return Future.succeededFuture();
  }

  /**
   * Stores {@code draft} at its topic's next position, unless its idempotency key was used on that
   * topic within the retention age: then nothing is stored and the first event is answered.
   */
  Future<Appended> append(Event draft);

  /** The retained events after {@code after}, in order, and whether some could not be replayed. */
  Future<Replay> readAfter(String topic, Position after);

  /** The position of the topic's newest event, {@link Position#START} when it has no log. */
  Future<Position> head(String topic);

  /** Drops the topic's retained events. */
  Future<Void> purge(String topic);

  /** How many events the topic retains and the position of its newest one; for admins. */
  Future<TopicStats> stats(String topic);

  /** The topic's newest {@code count} retained events, oldest first; for admins. */
  Future<List<Event>> latest(String topic, int count);

  /** Topics that have a log, in name order, starting with {@code prefix}; for admins. */
  Future<List<String>> topics(String prefix, int limit);

  record TopicStats(long retained, Position head) {
  }

  /**
   * The outcome of {@link #append}: the stored event, or the earlier one with the same key; and
   * the ids of the nodes that follow the topic, when the store knows them (else empty: every
   * node gets every event).
   */
  record Appended(Event event, boolean duplicate, List<String> followers) {

    public Appended(Event event, boolean duplicate) {
      this(event, duplicate, List.of());
    }
  }

  /**
   * The outcome of {@link #readAfter}.
   *
   * @param events the events to send, in order
   * @param gap why events between the asked position and the first of {@code events} are missing
   * @param head the topic's newest position at the time of the read
   */
  record Replay(List<Event> events, Gap gap, Position head) {
  }

  enum Gap {
    /** Nothing is missing. */
    NONE,
    /** Events after the position were dropped by size or age. */
    EVICTED,
    /** The position belongs to another epoch of the log (a lost store) or is not a position of it. */
    UNKNOWN_CURSOR
  }
}
