package io.pushhub.broadcast;

import io.pushhub.event.EncodedEvent;

/** A stream that receives the events of its topics, on the event loop of its verticle instance. */
public interface Subscriber {

  /**
   * @param topicIndex which of the subscriber's topics the event belongs to
   * @return whether the event was written now (not dropped as a duplicate, nor queued)
   */
  boolean onEvent(int topicIndex, EncodedEvent event);

  /** Per topic index, this subscriber's slot in {@link LocalSubscribers}; owned by it. */
  int[] slots();
}
