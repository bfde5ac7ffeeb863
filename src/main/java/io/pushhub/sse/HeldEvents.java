package io.pushhub.sse;

import io.pushhub.broadcast.SharedEvent;

import java.util.ArrayDeque;

/** Live events a stream holds while it replays, in arrival order, bounded in bytes. */
final class HeldEvents {

  record Held(int topicIndex, SharedEvent event) {
  }

  private final ArrayDeque<Held> queue = new ArrayDeque<>();
  private final long maxBytes;
  private long bytes;

  HeldEvents(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Holds the event; false once the held bytes pass the bound (the stream is too slow to keep). */
  boolean hold(int topicIndex, SharedEvent event) {
    queue.addLast(new Held(topicIndex, event));
    bytes += size(event);
    return bytes <= maxBytes;
  }

  Held peek() {
    return queue.peekFirst();
  }

  Held poll() {
    Held next = queue.pollFirst();
    if (next != null) {
      bytes -= size(next.event());
    }
    return next;
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  void clear() {
    queue.clear();
    bytes = 0;
  }

  private static int size(SharedEvent event) {
    return event.encoded(SseEncoder.FRAMES).frame().length();
  }
}
