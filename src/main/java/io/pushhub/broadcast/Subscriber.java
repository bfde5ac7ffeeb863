package io.pushhub.broadcast;

/**
 * What receives events, of any protocol, on the event loop of its verticle instance. It
 * subscribes to a topic under a key of its own ({@link LocalSubscribers#add}), is handed each
 * run of that topic's events with that key, and encodes them as its protocol does (through a
 * {@link FrameEncoder}, whose bytes all subscribers share). Which events it writes is its own
 * choice: it checks their positions, and may leave out events it may not see.
 */
public interface Subscriber {

  /**
   * Events of one topic, in their log order, that reached this instance together.
   *
   * @param key the key it subscribed to {@code run.topic()} with; pushhub's own streams use the
   *            topic's index in their list of topics
   * @return how many of the events it wrote now (not dropped, nor held back)
   */
  int onRun(int key, EventRun run);

  /** Per key, this subscriber's slot in {@link LocalSubscribers}; owned by it. */
  int[] slots();
}
