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
    return Cursor.of(topic, position);
  }

  /** The topics after the canonical one; empty for a pushhub publish. */
  public List<String> alternates() {
    return mercure == null ? List.of() : mercure.alternates();
  }

  public boolean isPrivate() {
    return mercure != null && mercure.isPrivate();
  }
}
