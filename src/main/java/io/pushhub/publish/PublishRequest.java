package io.pushhub.publish;

import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.pushhub.event.Event;
import io.pushhub.event.Topics;

import java.nio.charset.StandardCharsets;

/**
 * What a publisher asks for, in no protocol's terms: each endpoint reads its own format into
 * one, and {@link PublishService} checks it ({@link #draft}). The checks on {@code type} and
 * {@code key} keep CR and LF out of them, so a publisher can never inject SSE fields into a frame.
 *
 * @param type the event type, {@code null} (or "message") for the default
 * @param data the payload exactly as subscribers get it
 * @param key the idempotency key, or {@code null}
 * @param mercure a Mercure update's own fields, {@code null} for pushhub's publish; its topics and type
 *                follow Mercure's rules (docs/mercure.md), and it has no idempotency key
 */
public record PublishRequest(String topic, String type, String data, String key, Event.Mercure mercure) {

  static final int MAX_TYPE_BYTES = 64;
  static final int MAX_KEY_BYTES = 128;
  static final int MAX_MERCURE_TYPE_BYTES = 256;
  static final int MAX_MERCURE_ID_BYTES = 512;
  /**
   * The hub's own Mercure topics (subscription events), which only the hub publishes (the Mercure
   * endpoint refuses them to publishers), hold a percent-encoded topic selector: they may be longer.
   */
  public static final String HUB_TOPIC_PREFIX = "/.well-known/mercure/";
  public static final int MAX_HUB_TOPIC_BYTES = 4096;

  /** A request of pushhub's own publish. */
  public PublishRequest(String topic, String type, String data, String key) {
    this(topic, type, data, key, null);
  }

  /** The event to store, once every field is checked; a refusal ({@link HubException}) otherwise. */
  Event draft(int maxEventBytes) {
    if (mercure != null) {
      return mercureDraft(maxEventBytes);
    }
    String invalid = Topics.invalidReason(topic);
    if (invalid != null) {
      throw bad(invalid);
    }
    checkData(maxEventBytes);
    if (type != null) {
      checkField("event", type, MAX_TYPE_BYTES, true);
    }
    if (key != null) {
      checkField("id", key, MAX_KEY_BYTES, false);
    }
    return new Event(topic, null, "message".equals(type) ? null : type, data, key, 0);
  }

  /**
   * Mercure's topics are any text of 1 to 256 bytes without control characters (URIs, with their
   * {@code //}), its types up to 256 bytes with spaces and colons; neither ever holds CR, LF or NUL.
   */
  private Event mercureDraft(int maxEventBytes) {
    checkMercureTopic(topic);
    mercure.alternates().forEach(alternate -> {
      if (alternate.startsWith(HUB_TOPIC_PREFIX)) {
        checkField("topic", alternate, MAX_HUB_TOPIC_BYTES, false);
      } else {
        checkMercureTopic(alternate);
      }
    });
    checkData(maxEventBytes);
    if (type != null) {
      checkField("type", type, MAX_MERCURE_TYPE_BYTES, false);
    }
    if (mercure.id() != null) {
      checkField("id", mercure.id(), MAX_MERCURE_ID_BYTES, false);
    }
    if (key != null || mercure.retryMillis() < 0) {
      throw bad("a Mercure update has no idempotency key and a retry of 0 or more");
    }
    return new Event(topic, null, type, data, null, 0, mercure);
  }

  private static void checkMercureTopic(String topic) {
    if (topic == null) {
      throw bad("topic is required");
    }
    checkField("topic", topic, Topics.MAX_BYTES, false);
  }

  private void checkData(int maxEventBytes) {
    if (hasLoneSurrogate(data)) {
      // It has no UTF-8 form: sent as is it would reach subscribers as '?'.
      throw bad("data is not valid UTF-8 (a lone surrogate)");
    }
    int size = data.getBytes(StandardCharsets.UTF_8).length;
    if (size > maxEventBytes) {
      throw new HubException(HubError.SIZE, "data is " + size + " bytes, more than the limit of " + maxEventBytes);
    }
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

  static HubException bad(String message) {
    return new HubException(HubError.BAD_REQUEST, message);
  }
}
