package io.pushhub.client;

import io.vertx.core.json.JsonObject;

/**
 * The hub's acknowledgement: the event is stored and on its way to every subscriber.
 *
 * @param id the event's cursor (a stream of its one topic can resume from it)
 * @param duplicate true when an earlier attempt had already been accepted (a retry, delivered once)
 */
public record Published(String id, String topic, boolean duplicate) {

  static Published fromJson(JsonObject reply) {
    return new Published(reply.getString("id"), reply.getString("topic"), reply.getBoolean("duplicate", false));
  }
}
