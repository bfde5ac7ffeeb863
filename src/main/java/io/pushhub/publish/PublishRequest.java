package io.pushhub.publish;

import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.pushhub.event.Event;
import io.pushhub.event.Topics;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/**
 * The body of a publish, HTTP or event bus (docs/protocol.md), checked and turned into an event draft.
 * The checks on {@code event} and {@code id} keep CR and LF out of them, so a publisher can
 * never inject SSE fields into a frame.
 */
final class PublishRequest {

  static final int MAX_TYPE_BYTES = 64;
  static final int MAX_KEY_BYTES = 128;

  private PublishRequest() {
  }

  static Event parse(JsonObject body, int maxEventBytes) {
    if (body == null) {
      throw bad("body must be a JSON object");
    }
    String topic = string(body, "topic", true);
    String invalid = Topics.invalidReason(topic);
    if (invalid != null) {
      throw bad(invalid);
    }
    if (!body.containsKey("data")) {
      throw bad("data is required");
    }
    Object value = body.getValue("data");
    String data = value instanceof String s ? s : Json.encode(value);
    if (hasLoneSurrogate(data)) {
      // It has no UTF-8 form: sent as is it would reach subscribers as '?'.
      throw bad("data is not valid UTF-8 (a lone surrogate)");
    }
    int size = data.getBytes(StandardCharsets.UTF_8).length;
    if (size > maxEventBytes) {
      throw new HubException(HubError.SIZE, "data is " + size + " bytes, more than the limit of " + maxEventBytes);
    }
    String type = string(body, "event", false);
    if (type != null) {
      checkField("event", type, MAX_TYPE_BYTES, true);
      if (type.equals("message")) {
        type = null;
      }
    }
    String key = string(body, "id", false);
    if (key != null) {
      checkField("id", key, MAX_KEY_BYTES, false);
    }
    return new Event(topic, null, type, data, key, 0);
  }

  private static String string(JsonObject body, String field, boolean required) {
    Object value = body.getValue(field);
    if (value == null) {
      if (required) {
        throw bad(field + " is required");
      }
      return null;
    }
    if (!(value instanceof String s)) {
      throw bad(field + " must be a string");
    }
    return s;
  }

  private static void checkField(String field, String value, int maxBytes, boolean token) {
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < 1 || bytes > maxBytes) {
      throw bad(field + " must be 1 to " + maxBytes + " bytes");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Topics.isControl(c)) {
        throw bad(field + " must not contain control characters");
      }
      if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < value.length()
        && Character.isLowSurrogate(value.charAt(++i)))) {
        throw bad(field + " is not valid UTF-8");
      }
      if (token && (c == ' ' || c == ':')) {
        throw bad(field + " must not contain spaces or ':'");
      }
    }
  }

  private static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static HubException bad(String message) {
    return new HubException(HubError.BAD_REQUEST, message);
  }
}
