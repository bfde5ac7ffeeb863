package io.pushhub.mercure;

import io.pushhub.error.HubError;
import io.pushhub.error.HubException;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * Which token a Mercure request presents, in the protocol's order: the {@code Authorization}
 * header when there is one (the query parameter and the cookie are then ignored), else the
 * {@code authorization} query parameter (the cookie is then ignored), else the
 * {@code mercureAuthorization} cookie. A source that is present but malformed is a 401, never a
 * fall-through to the next one. A publish that relies on the cookie must come from an allowed
 * origin (its {@code Origin}, else the origin of its {@code Referer}): the hub's own, or one of
 * {@code cors.allowedOrigins}; this is the protocol's defence against cross-site request forgery.
 */
final class MercureTokens {

  static final String COOKIE = "mercureAuthorization";
  static final String QUERY = "authorization";

  private final Set<String> allowedOrigins;
  private final boolean anyOrigin;

  MercureTokens(List<String> allowedOrigins) {
    this.allowedOrigins = Set.copyOf(allowedOrigins);
    this.anyOrigin = this.allowedOrigins.contains("*");
  }

  /**
   * @param unsafe whether the request changes state (a publish), so that a cookie needs an allowed origin
   * @param authorization every {@code Authorization} header value
   * @param query every {@code authorization} query value, or {@code null}
   * @param ownOrigin the hub's origin as this request reached it, or {@code null}
   * @return the presented token, or {@code null} when none is
   */
  String token(boolean unsafe, List<String> authorization, List<String> query, String cookie, String origin,
               String referer, String ownOrigin) {
    if (!authorization.isEmpty()) {
      String header = authorization.get(0);
      if (authorization.size() != 1 || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
        throw HubException.invalidToken("the Authorization header must be one \"Bearer <token>\"");
      }
      return header.substring(7).trim();
    }
    if (query != null) {
      if (query.size() != 1 || query.get(0).isBlank()) {
        throw HubException.invalidToken("the authorization query parameter must be given once, with a token");
      }
      return query.get(0);
    }
    if (cookie == null) {
      return null;
    }
    if (unsafe) {
      checkOrigin(origin, referer, ownOrigin);
    }
    return cookie;
  }

  private void checkOrigin(String origin, String referer, String ownOrigin) {
    String source = origin != null ? origin : originOf(referer);
    if (source == null) {
      throw new HubException(HubError.FORBIDDEN,
        "publishing with the " + COOKIE + " cookie needs an Origin or Referer header");
    }
    if (!anyOrigin && !allowedOrigins.contains(source) && !source.equals(ownOrigin)) {
      throw new HubException(HubError.FORBIDDEN, "origin " + source + " may not publish with the " + COOKIE + " cookie");
    }
  }

  /** {@code scheme://host[:port]} of a Referer, {@code null} when there is none or it is not an absolute URL. */
  static String originOf(String referer) {
    if (referer == null) {
      return null;
    }
    try {
      URI uri = new URI(referer);
      if (uri.getScheme() == null || uri.getRawAuthority() == null) {
        return null;
      }
      String hostPort = uri.getHost() == null ? uri.getRawAuthority() : uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
      return uri.getScheme().toLowerCase() + "://" + hostPort;
    } catch (Exception e) {
      return null;
    }
  }
}
