package io.pushhub.sse;

import io.pushhub.event.Event;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What a stream replays from the store, cut into pieces of about {@link #PIECE_BYTES} (one event
 * at least). The stream writes the next piece only once the one before has reached the kernel, so
 * a resume of any size holds at most one piece inside the hub and never counts as a slow
 * consumer's backlog; the events themselves stay in the store's list until their turn.
 */
public final class ReplayPieces {

  /** How a stream writes one replayed event into a piece, if it writes it at all. */
  @FunctionalInterface
  public interface Appender {
    /** Appends {@code event} (of the {@code topicIndex}th list) to {@code piece}; whether it did. */
    boolean append(Buffer piece, int topicIndex, Event event);
  }

  static final int PIECE_BYTES = 64 * 1024;
  /** Replay bytes one stream writes in one event-loop turn before yielding to the others. */
  private static final int BYTES_PER_TURN = 4 * PIECE_BYTES;

  private final Appender appender;
  private final List<List<Event>> events;
  private final int[] topicIndexes;
  private int topic;
  private int next;
  private int appended;

  private ReplayPieces(Appender appender, int[] topicIndexes, List<List<Event>> events) {
    this.appender = appender;
    this.topicIndexes = topicIndexes;
    this.events = events;
  }

  /** The events of every list, list after list, each in its order, written by {@code appender}. */
  public static ReplayPieces ofAll(Appender appender, List<List<Event>> eventsByTopic) {
    int[] indexes = new int[eventsByTopic.size()];
    for (int i = 0; i < indexes.length; i++) {
      indexes[i] = i;
    }
    return new ReplayPieces(appender, indexes, eventsByTopic);
  }

  /** The events of one topic, filling a gap. */
  static ReplayPieces ofTopic(Appender appender, int topicIndex, List<Event> events) {
    return new ReplayPieces(appender, new int[]{topicIndex}, List.of(events));
  }

  /**
   * Appends to {@code piece} the next events that follow their topic's position, advancing it,
   * until the piece is full or nothing is left; how many it appended.
   */
  int fill(Buffer piece) {
    int count = 0;
    while (topic < topicIndexes.length && piece.length() < PIECE_BYTES) {
      List<Event> ofTopic = events.get(topic);
      if (next == ofTopic.size()) {
        topic++;
        next = 0;
      } else if (appender.append(piece, topicIndexes[topic], ofTopic.get(next++))) {
        count++;
      }
    }
    appended += count;
    return count;
  }

  /**
   * Writes {@code first}, then the pieces, each once the one before is in the kernel, up to
   * {@link #BYTES_PER_TURN} per event-loop turn (the rest once the loop has served others); then
   * runs {@code then}. Stops when {@code open} turns false: the stream has ended.
   */
  void send(Buffer first, StreamWriter writer, LocalStreams loop, StreamInfo info, BooleanSupplier open, Runnable then) {
    Buffer piece = first;
    int budget = BYTES_PER_TURN;
    while (open.getAsBoolean()) {
      info.countEvents(fill(piece));
      if (piece.length() == 0) {
        then.run();
        return;
      }
      budget -= piece.length();
      info.countBytes(piece.length());
      Future<Void> sent = writer.writeThrough(piece);
      if (sent.failed()) {
        return; // the connection is gone: its close handler ends the stream
      }
      if (!sent.isComplete() || budget <= 0) {
        sent.onSuccess(v -> loop.later(() -> send(Buffer.buffer(), writer, loop, info, open, then)));
        return;
      }
      piece = Buffer.buffer();
    }
  }

  /** Events appended so far. */
  public int appended() {
    return appended;
  }
}
