package io.pushhub.broadcast;

import io.pushhub.event.Event;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns events into the bytes of one protocol, for the endpoint of that protocol; the fan-out
 * only keeps what it made. An event is encoded once per encoder on a node, not once per
 * subscriber ({@link SharedEvent#encoded}), and a run of events is joined once per encoder on
 * the instance it reached ({@link EventRun#joined}).
 *
 * <p>Each encoder owns one slot in every shared event and run, given when it is made: make one
 * per protocol, as a constant.
 *
 * @param <E> an event's encoding
 * @param <R> a run's encoding
 */
public abstract class FrameEncoder<E, R> {

  /** Slots per event: one per protocol that pushhub speaks, with room to spare. */
  static final int SLOTS = 4;
  private static final AtomicInteger NEXT = new AtomicInteger();

  final int slot;

  protected FrameEncoder() {
    slot = NEXT.getAndIncrement();
    if (slot >= SLOTS) {
      throw new IllegalStateException("more than " + SLOTS + " frame encoders: make one per protocol");
    }
  }

  /** {@code event}'s encoding; may run on any thread, so it must only read the event. */
  protected abstract E encode(Event event);

  /** The encoding of a run of several events, on the run's event loop. */
  protected abstract R join(EventRun run);
}
