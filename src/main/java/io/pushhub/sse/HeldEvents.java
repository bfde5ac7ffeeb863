package io.pushhub.sse;

import io.pushhub.event.EncodedEvent;

import java.util.ArrayDeque;

/** Live events a stream holds while it replays, in arrival order, bounded in bytes. */
final class HeldEvents {

  record Held(int topicIndex, EncodedEvent event) {
  }

  private final ArrayDeque<Held> queue = new ArrayDeque<>();
  private final long maxBytes;
  private long bytes;

  HeldEvents(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Holds the event; false once the held bytes pass the bound (the stream is too slow to keep). */
  boolean hold(int topicIndex, EncodedEvent event) {
    queue.addLast(new Held(topicIndex, event));
    bytes += event.frame().length();
    return bytes <= maxBytes;
  }

  Held peek() {
    return queue.peekFirst();
  }

  Held poll() {
    Held next = queue.pollFirst();
    if (next != null) {
      bytes -= next.event().frame().length();
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
}
