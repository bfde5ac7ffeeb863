package io.pushhub.event;

/**
 * One published event as the replay store keeps it.
 *
 * @param type the SSE event type, {@code null} for the default type "message"
 * @param data the payload exactly as it is sent (a string, or compact JSON text)
 * @param key the publisher's idempotency key, or {@code null}
 * @param publishedAtMicros wall-clock time of the append, in microseconds since the epoch
 */
public record Event(String topic, Position position, String type, String data, String key, long publishedAtMicros) {

  public Event withPosition(Position assigned, long appendedAtMicros) {
    return new Event(topic, assigned, type, data, key, appendedAtMicros);
  }

  public String cursor() {
    return Cursor.of(topic, position);
  }
}
