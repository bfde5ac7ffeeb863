package io.pushhub.sse;

import io.pushhub.broadcast.SharedEvent;

import java.util.ArrayDeque;
import java.util.function.ToIntFunction;

/** Live events a stream holds while it replays, in arrival order, bounded in bytes. */
public final class HeldEvents {

  public record Held(int topicIndex, SharedEvent event) {
  }

  private final ArrayDeque<Held> queue = new ArrayDeque<>();
  private final long maxBytes;
  private final ToIntFunction<SharedEvent> size;
  private long bytes;

  /** @param size an event's size as the stream would write it */
  public HeldEvents(long maxBytes, ToIntFunction<SharedEvent> size) {
    this.maxBytes = maxBytes;
    this.size = size;
  }

  /** Holds the event; false once the held bytes pass the bound (the stream is too slow to keep). */
  public boolean hold(int topicIndex, SharedEvent event) {
    queue.addLast(new Held(topicIndex, event));
    bytes += size.applyAsInt(event);
    return bytes <= maxBytes;
  }

  public Held peek() {
    return queue.peekFirst();
  }

  public Held poll() {
    Held next = queue.pollFirst();
    if (next != null) {
      bytes -= size.applyAsInt(next.event());
    }
    return next;
  }

  public boolean isEmpty() {
    return queue.isEmpty();
  }

  public void clear() {
    queue.clear();
    bytes = 0;
  }
}
