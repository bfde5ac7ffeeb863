package io.pushhub.mercure;

import io.pushhub.error.HubException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The Mercure rights of a verified token: claim {@code mercure} (or, as the reference hub also
 * reads, {@code https://mercure.rocks/}) with {@code publish} and {@code subscribe} arrays of topic
 * selectors and a free {@code payload}, plus when the token expires.
 *
 * @param payload the claim's {@code payload} as decoded JSON (object, array, string, number, boolean), or {@code null}
 * @param expiresAtMillis when the token expires, {@link Long#MAX_VALUE} without {@code exp}
 */
public record MercureClaims(Selectors publish, Selectors subscribe, Object payload, String subject,
                            long expiresAtMillis) {

  public static final String CLAIM = "mercure";
  public static final String NAMESPACED_CLAIM = "https://mercure.rocks/";

  /** Reads the rights of claims that were verified already; a malformed {@code mercure} claim is a 401. */
  public static MercureClaims fromClaims(JsonObject claims) {
    Object value = claims.containsKey(NAMESPACED_CLAIM) ? claims.getValue(NAMESPACED_CLAIM) : claims.getValue(CLAIM);
    if (value != null && !(value instanceof JsonObject)) {
      throw HubException.invalidToken("claim " + CLAIM + " is not an object");
    }
    JsonObject mercure = value == null ? new JsonObject() : (JsonObject) value;
    long exp = claims.getValue("exp") instanceof Number n ? expiryMillis(n.doubleValue()) : Long.MAX_VALUE;
    return new MercureClaims(selectors(mercure, "publish"), selectors(mercure, "subscribe"), mercure.getValue("payload"),
      claims.getValue("sub") instanceof String s ? s : null, exp);
  }

  /** Seconds to milliseconds, saturating: {@code exp: 1e308} is "never", not a negative time. */
  private static long expiryMillis(double seconds) {
    return seconds >= Long.MAX_VALUE / 1000.0 ? Long.MAX_VALUE : (long) (seconds * 1000);
  }

  private static Selectors selectors(JsonObject mercure, String key) {
    Object value = mercure.getValue(key);
    if (value == null) {
      return Selectors.none();
    }
    if (!(value instanceof JsonArray array) || !array.stream().allMatch(String.class::isInstance)) {
      throw HubException.invalidToken("claim " + CLAIM + "." + key + " is not an array of strings");
    }
    if (array.size() > Selectors.MAX) {
      throw HubException.invalidToken("claim " + CLAIM + "." + key + " has more than " + Selectors.MAX + " selectors");
    }
    List<String> raw = new ArrayList<>(array.size());
    array.forEach(s -> raw.add((String) s));
    return Selectors.of(raw);
  }

  /** Whether an update on {@code topics} (canonical and alternates) may be dispatched by this publisher. */
  public boolean mayPublish(List<String> topics) {
    return !publish.isEmpty() && publish.matchesEvery(topics);
  }

  /** Whether a private update on {@code topics} may reach this subscriber. */
  public boolean mayReceivePrivate(List<String> topics) {
    return subscribe.matchesAny(topics);
  }
}
