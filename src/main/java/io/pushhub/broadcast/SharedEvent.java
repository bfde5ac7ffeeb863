package io.pushhub.broadcast;

import io.pushhub.event.Event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An event as this node's fan-out hands it to every verticle instance, with its encodings: one
 * slot per {@link FrameEncoder}, filled once and shared by every subscriber of the node.
 *
 * <p>The fan-out fills the slots of the encoders it was given before it hands the event over
 * (the instances see them through that hand-over), so the common protocol is encoded once, on
 * the fan-out's thread, as before protocols were split from the core. Any other encoder's slot is
 * filled by the first instance that asks, so a protocol no one on the node follows costs nothing;
 * two instances asking at the same moment may both encode, and the second takes the first's bytes.
 */
public final class SharedEvent {

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

  private final Event event;
  private final Object[] encodings = new Object[FrameEncoder.SLOTS];

  public SharedEvent(Event event) {
    this.event = event;
  }

  public Event event() {
    return event;
  }

  /** The event as {@code encoder} encodes it; callable from any thread. */
  @SuppressWarnings("unchecked")
  public <E> E encoded(FrameEncoder<E, ?> encoder) {
    Object known = SLOT.getAcquire(encodings, encoder.slot);
    if (known == null) {
      E fresh = encoder.encode(event);
      known = SLOT.compareAndExchange(encodings, encoder.slot, null, fresh);
      if (known == null) {
        known = fresh;
      }
    }
    return (E) known;
  }
}
