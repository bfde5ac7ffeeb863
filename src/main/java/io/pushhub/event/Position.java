package io.pushhub.event;

/**
 * Where an event sits in its topic's log: the log's {@code epoch} and the event's sequence
 * number in it (1, 2, 3… without gaps). A new epoch means a new log: positions of an older epoch
 * cannot be resumed from. Epoch {@code 0} with sequence {@code 0} stands for "before any event",
 * the position of a topic that has no log yet.
 */
public record Position(long epoch, long seq) {

  public static final Position START = new Position(0, 0);

  /** Whether {@code next} directly follows this position, so that nothing lies between them. */
  public boolean isFollowedBy(Position next) {
    if (next.epoch == epoch) {
      return next.seq == seq + 1;
    }
    return next.seq == 1 && (epoch == 0 || seq == 0);
  }

  /** Whether {@code other} was already covered: same epoch, at or before this position. */
  public boolean covers(Position other) {
    return other.epoch == epoch && other.seq <= seq;
  }
}
