package io.pushhub.mercure;

import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.pushhub.event.Topics;
import io.pushhub.http.QueryString;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Mercure publish request, parsed from its {@code application/x-www-form-urlencoded} body.
 *
 * @param topics the canonical topic first, then the alternates; at least one
 * @param data the payload, {@code ""} when the form has none
 * @param isPrivate whether the form has a {@code private} field, whatever its value
 * @param id the publisher's id, or {@code null} for one the hub generates
 * @param type the SSE event type, or {@code null}
 * @param retry the SSE reconnection time in milliseconds, or {@code null}
 */
public record MercureUpdate(List<String> topics, String data, boolean isPrivate, String id, String type, Long retry) {

  /** Most topics of one update (canonical and alternates): each costs a match per template subscriber. */
  public static final int MAX_TOPICS = 100;
  public static final int MAX_ID_BYTES = 512;
  public static final int MAX_TYPE_BYTES = 256;
  /** Hub-made topics (subscription events) live there; publishers may not forge them. */
  public static final String RESERVED_TOPIC_PART = "/.well-known/mercure";
  private static final Set<String> SINGLE = Set.of("data", "id", "type", "retry");

  public MercureUpdate {
    topics = List.copyOf(topics);
  }

  public String canonical() {
    return topics.get(0);
  }

  public List<String> alternates() {
    return topics.subList(1, topics.size());
  }

  /**
   * Parses a form body strictly: bad escapes or UTF-8, a missing or bad topic, a repeated
   * {@code data}, {@code id}, {@code type} or {@code retry}, a bad field value are 400s; data
   * above {@code maxEventBytes} UTF-8 bytes is a 413; a topic in the hub's reserved namespace a
   * 403. Empty {@code id}, {@code type} and {@code retry} count as absent, as for the reference
   * hub; unknown fields are ignored.
   */
  public static MercureUpdate parse(String contentType, byte[] body, int maxEventBytes) {
    if (contentType == null || !contentType.split(";", 2)[0].trim().equalsIgnoreCase("application/x-www-form-urlencoded")) {
      throw bad("the body must be application/x-www-form-urlencoded");
    }
    // One char per byte: the strict decoder reads chars below 256 as raw bytes and checks the UTF-8.
    Map<String, List<String>> form = QueryString.parse(new String(body, StandardCharsets.ISO_8859_1));
    for (String name : SINGLE) {
      if (form.getOrDefault(name, List.of()).size() > 1) {
        throw bad("field " + name + " is given more than once");
      }
    }
    List<String> topics = form.getOrDefault("topic", List.of());
    if (topics.isEmpty()) {
      throw bad("missing topic");
    }
    if (topics.size() > MAX_TOPICS) {
      throw bad("more than " + MAX_TOPICS + " topics");
    }
    for (String topic : topics) {
      checkTopic(topic);
    }
    String data = first(form, "data");
    data = data == null ? "" : data;
    int size = data.getBytes(StandardCharsets.UTF_8).length;
    if (size > maxEventBytes) {
      throw new HubException(HubError.SIZE, "data is " + size + " bytes, more than the limit of " + maxEventBytes);
    }
    return new MercureUpdate(topics, data, form.containsKey("private"), id(first(form, "id")), type(first(form, "type")),
      retry(first(form, "retry")));
  }

  private static void checkTopic(String topic) {
    if (topic.isEmpty()) {
      throw bad("a topic is empty");
    }
    if (topic.getBytes(StandardCharsets.UTF_8).length > Topics.MAX_BYTES) {
      throw bad("a topic is longer than " + Topics.MAX_BYTES + " bytes");
    }
    if (hasControl(topic)) {
      throw bad("a topic contains a control character");
    }
    if (topic.contains(RESERVED_TOPIC_PART)) {
      throw new HubException(HubError.FORBIDDEN, "topics containing " + RESERVED_TOPIC_PART + " are reserved to the hub");
    }
  }

  private static String id(String id) {
    if (id == null || id.isEmpty()) {
      return null;
    }
    if (id.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES || hasControl(id)) {
      throw bad("id must be at most " + MAX_ID_BYTES + " bytes without control characters");
    }
    String reason = MercureIds.invalidSuppliedReason(id);
    if (reason != null) {
      throw bad(reason);
    }
    return id;
  }

  private static String type(String type) {
    if (type == null || type.isEmpty()) {
      return null;
    }
    if (type.getBytes(StandardCharsets.UTF_8).length > MAX_TYPE_BYTES || hasControl(type)) {
      throw bad("type must be at most " + MAX_TYPE_BYTES + " bytes without control characters");
    }
    return type;
  }

  private static Long retry(String retry) {
    if (retry == null || retry.isEmpty()) {
      return null;
    }
    if (retry.length() > 10 || !retry.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw bad("retry must be a number of milliseconds");
    }
    long millis = Long.parseLong(retry);
    if (millis > Integer.MAX_VALUE) {
      throw bad("retry must be a number of milliseconds");
    }
    return millis == 0 ? null : millis;
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Topics.isControl(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static String first(Map<String, List<String>> form, String name) {
    List<String> values = form.get(name);
    return values == null ? null : values.get(0);
  }

  private static HubException bad(String message) {
    return new HubException(HubError.BAD_REQUEST, message);
  }
}
