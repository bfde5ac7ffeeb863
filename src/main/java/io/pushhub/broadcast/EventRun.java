package io.pushhub.broadcast;

import java.util.Arrays;

/**
 * Consecutive events of one topic that reached a verticle instance in the same event-loop turn,
 * handed to its subscribers together. Under load events queue between turns, a run holds
 * several, and a subscriber that is in step writes the whole run at once: its encoding is joined
 * once per instance ({@link #joined}), one write and one flush for k events instead of k.
 * Confined to its instance's event loop.
 */
public final class EventRun {

  private final String topic;
  private SharedEvent[] events = new SharedEvent[4];
  private int size;
  private boolean consecutive = true;
  private Object[] joined;

  public EventRun(String topic) {
    this.topic = topic;
  }

  /** Appends an event of this run's topic. */
  public void add(SharedEvent event) {
    if (size > 0 && !last().event().position().isFollowedBy(event.event().position())) {
      consecutive = false;
    }
    if (size == events.length) {
      events = Arrays.copyOf(events, size * 2);
    }
    events[size++] = event;
  }

  public String topic() {
    return topic;
  }

  public int size() {
    return size;
  }

  public SharedEvent get(int i) {
    return events[i];
  }

  public SharedEvent first() {
    return events[0];
  }

  public SharedEvent last() {
    return events[size - 1];
  }

  /** Whether each event directly follows the one before it, so the run can be written whole. */
  public boolean consecutive() {
    return consecutive;
  }

  /** The run as {@code encoder} joins it, made on first use and shared by this instance's subscribers. */
  @SuppressWarnings("unchecked")
  public <R> R joined(FrameEncoder<?, R> encoder) {
    if (joined == null) {
      joined = new Object[FrameEncoder.SLOTS];
    }
    Object run = joined[encoder.slot];
    if (run == null) {
      run = encoder.join(this);
      joined[encoder.slot] = run;
    }
    return (R) run;
  }
}
