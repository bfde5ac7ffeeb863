package io.pushhub.publish;

import io.pushhub.replay.ReplayStore;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * pushhub's JSON publish, HTTP or event bus (docs/protocol.md): the body read into a
 * {@link PublishRequest}, and the answer made from what was stored.
 */
final class PublishJson {

  private PublishJson() {
  }

  /** The body's fields, of the right JSON types; their values are checked by {@link PublishService}. */
  static PublishRequest read(JsonObject body) {
    if (body == null) {
      throw PublishRequest.bad("body must be a JSON object");
    }
    String topic = string(body, "topic", true);
    if (!body.containsKey("data")) {
      throw PublishRequest.bad("data is required");
    }
    Object value = body.getValue("data");
    String data = value instanceof String s ? s : Json.encode(value);
    return new PublishRequest(topic, string(body, "event", false), data, string(body, "id", false));
  }

  /** {@code {"id", "topic"[, "duplicate": true]}}. */
  static JsonObject reply(ReplayStore.Appended appended) {
    JsonObject reply = new JsonObject().put("id", appended.event().cursor()).put("topic", appended.event().topic());
    return appended.duplicate() ? reply.put("duplicate", true) : reply;
  }

  private static String string(JsonObject body, String field, boolean required) {
    Object value = body.getValue(field);
    if (value == null) {
      if (required) {
        throw PublishRequest.bad(field + " is required");
      }
      return null;
    }
    if (!(value instanceof String s)) {
      throw PublishRequest.bad(field + " must be a string");
    }
    return s;
  }
}
