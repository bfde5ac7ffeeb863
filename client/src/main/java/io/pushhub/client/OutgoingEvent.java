package io.pushhub.client;

import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * An event to publish (docs/protocol.md). {@code id} is its idempotency key: one is generated when none is
 * given, and every retry of this event sends the same one, so the hub delivers it at most once.
 */
public record OutgoingEvent(String topic, Object data, String event, String id) {

  public OutgoingEvent {
    if (topic == null || topic.isEmpty()) {
      throw new IllegalArgumentException("topic is required");
    }
    if (id == null) {
      id = UUID.randomUUID().toString();
    }
  }

  /** {@code data}: a String is sent as is; anything else as its JSON text. */
  public static OutgoingEvent of(String topic, Object data) {
    return new OutgoingEvent(topic, data, null, null);
  }

  public OutgoingEvent withEvent(String type) {
    return new OutgoingEvent(topic, data, type, id);
  }

  public OutgoingEvent withId(String idempotencyKey) {
    return new OutgoingEvent(topic, data, event, idempotencyKey);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("topic", topic).put("data", data).put("id", id);
    if (event != null) {
      json.put("event", event);
    }
    return json;
  }
}
