package io.pushhub.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Who is calling, from a verified token: its subject, its rights (claim {@code pushhub}) and when
 * the token expires.
 */
public record Caller(String subject, List<TopicPattern> subscribe, List<TopicPattern> publish, boolean admin,
                     long expiresAtMillis) {

  static Caller fromClaims(JsonObject claims) {
    Object rights = claims.getValue("pushhub");
    JsonObject granted = rights instanceof JsonObject object ? object : new JsonObject();
    long exp = claims.getValue("exp") instanceof Number n ? expiryMillis(n.doubleValue()) : Long.MAX_VALUE;
    return new Caller(claims.getValue("sub") instanceof String s ? s : null, patterns(granted.getValue("subscribe")),
      patterns(granted.getValue("publish")), Boolean.TRUE.equals(granted.getValue("admin")), exp);
  }

  /** Seconds to milliseconds, saturating: {@code exp: 1e308} is "never", not a negative time. */
  private static long expiryMillis(double seconds) {
    return seconds >= Long.MAX_VALUE / 1000.0 ? Long.MAX_VALUE : (long) (seconds * 1000);
  }

  private static List<TopicPattern> patterns(Object value) {
    if (!(value instanceof JsonArray array)) {
      return List.of();
    }
    return array.stream().filter(String.class::isInstance).map(String.class::cast).map(TopicPattern::of).toList();
  }

  public boolean maySubscribe(String topic) {
    return TopicPattern.anyMatches(subscribe, topic);
  }

  public boolean mayPublish(String topic) {
    return TopicPattern.anyMatches(publish, topic);
  }
}
