package io.pushhub.broadcast;

import io.pushhub.event.EncodedEvent;

/** A stream that receives the events of its topics, on the event loop of its verticle instance. */
public interface Subscriber {

  /**
   * @param topicIndex which of the subscriber's topics the event belongs to
   * @return whether the event was written now (not dropped as a duplicate, nor queued)
   */
  boolean onEvent(int topicIndex, EncodedEvent event);

  /**
   * Consecutive events of one topic at once; a subscriber in step may write them as one.
   *
   * @return how many of them were written now
   */
  default int onRun(int topicIndex, EventRun run) {
    int written = 0;
    for (int i = 0; i < run.size(); i++) {
      if (onEvent(topicIndex, run.get(i))) {
        written++;
      }
    }
    return written;
  }

  /** Per topic index, this subscriber's slot in {@link LocalSubscribers}; owned by it. */
  int[] slots();
}
