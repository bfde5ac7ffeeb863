package io.pushhub.event;

import java.util.List;

/**
 * One published event as the replay store keeps it.
 *
 * @param type the SSE event type, {@code null} for the default type "message"
 * @param data the payload exactly as it is sent (a string, or compact JSON text)
 * @param key the publisher's idempotency key, or {@code null}
 * @param publishedAtMicros wall-clock time of the append, in microseconds since the epoch
 * @param mercure what a Mercure publish adds (docs/mercure.md), {@code null} for a pushhub publish
 */
public record Event(String topic, Position position, String type, String data, String key, long publishedAtMicros,
                    Mercure mercure) {

  /** The largest {@link #check()}: 20 bits, at most four base-36 digits in a cursor. */
  public static final int MAX_CHECK = (1 << 20) - 1;

  /** An event of pushhub's own publish. */
  public Event(String topic, Position position, String type, String data, String key, long publishedAtMicros) {
    this(topic, position, type, data, key, publishedAtMicros, null);
  }

  /**
   * The Mercure fields of an update.
   *
   * @param alternates the update's other topics, after its canonical one ({@link Event#topic})
   * @param isPrivate whether only subscribers allowed to see one of its topics receive it
   * @param id the publisher's id, or {@code null}: the hub's id generated from the position is used
   * @param retryMillis the SSE {@code retry:} value, 0 for none
   */
  public record Mercure(List<String> alternates, boolean isPrivate, String id, long retryMillis) {

    public Mercure {
      alternates = List.copyOf(alternates);
    }
  }

  public Event withPosition(Position assigned, long appendedAtMicros) {
    return new Event(topic, assigned, type, data, key, appendedAtMicros, mercure);
  }

  public String cursor() {
    return Cursor.of(topic, position, check());
  }

  /**
   * A short hash of what the event says (its type and data), carried in cursors: a resume finds
   * out whether the event at a cursor's position is the one its client saw. Content, not
   * identity: the same words at the same position are the same event to a client.
   */
  public int check() {
    long h = (data == null ? 0 : data.hashCode()) * 0x9E3779B97F4A7C15L + (type == null ? 0 : type.hashCode());
    h ^= h >>> 31;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 29;
    return (int) (h & MAX_CHECK);
  }

  /** The topics after the canonical one; empty for a pushhub publish. */
  public List<String> alternates() {
    return mercure == null ? List.of() : mercure.alternates();
  }

  public boolean isPrivate() {
    return mercure != null && mercure.isPrivate();
  }
}
