package io.pushhub.auth;

import io.pushhub.config.HubConfig;
import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.pushhub.http.Clients;
import io.pushhub.http.QueryString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;

/**
 * Who may do what (docs/protocol.md). The token comes from {@code Authorization: Bearer}, else the cookie
 * {@code pushhub_token}, else the query parameter {@code access_token}: the first present decides,
 * so an invalid header token is refused even beside a valid cookie. Without any key configured
 * (development mode) anyone may subscribe, and publishing and the admin API are for loopback
 * clients only.
 */
public final class Access {

  public static final String COOKIE = "pushhub_token";
  public static final String QUERY = "access_token";

  private final boolean developmentMode;
  private final TokenVerifier verifier;
  private final List<TopicPattern> anonymous;

  public Access(Vertx vertx, HubConfig config) {
    this.developmentMode = config.auth().developmentMode();
    this.verifier = developmentMode ? null : new TokenVerifier(vertx, config.auth());
    this.anonymous = config.auth().anonymousTopics().stream().map(TopicPattern::of).toList();
  }

  /** The instance's verifier of tokens, shared with the Mercure endpoint; {@code null} in development mode. */
  public TokenVerifier verifier() {
    return verifier;
  }

  /** The verified caller, {@code null} without a token (or in development mode); fails 401 for a bad token. */
  public Future<Caller> caller(HttpServerRequest request) {
    if (developmentMode) {
      return Future.succeededFuture(null);
    }
    String token = token(request);
    if (token == null) {
      return Future.succeededFuture(null);
    }
    return verifier.verify(token).recover(e -> Future.failedFuture(HubException.invalidToken("invalid or expired token")));
  }

  /** Every topic must be anonymous or granted, or the whole request fails. */
  public Future<Caller> subscribe(HttpServerRequest request, List<String> topics) {
    return caller(request).compose(caller -> {
      if (developmentMode) {
        return Future.succeededFuture(caller);
      }
      for (String topic : topics) {
        if (TopicPattern.anyMatches(anonymous, topic)) {
          continue;
        }
        if (caller == null) {
          return Future.failedFuture(new HubException(HubError.AUTH, "a token is required for topic " + topic));
        }
        if (!caller.maySubscribe(topic)) {
          return Future.failedFuture(new HubException(HubError.FORBIDDEN, "subscribing to " + topic + " is not granted"));
        }
      }
      return Future.succeededFuture(caller);
    });
  }

  /** Publishing to {@code topic} ({@code null} when the body has none: the publish check answers that). */
  public Future<Caller> publish(HttpServerRequest request, String topic) {
    if (developmentMode) {
      return loopbackOnly(request, "publishing");
    }
    return caller(request).compose(caller -> {
      if (caller == null) {
        return Future.failedFuture(new HubException(HubError.AUTH, "a token is required to publish"));
      }
      if (topic != null && !caller.mayPublish(topic)) {
        return Future.failedFuture(new HubException(HubError.FORBIDDEN, "publishing to " + topic + " is not granted"));
      }
      return Future.succeededFuture(caller);
    });
  }

  public Future<Caller> admin(HttpServerRequest request) {
    if (developmentMode) {
      return loopbackOnly(request, "the admin API");
    }
    return caller(request).compose(caller -> {
      if (caller == null) {
        return Future.failedFuture(new HubException(HubError.AUTH, "a token is required for the admin API"));
      }
      if (!caller.admin()) {
        return Future.failedFuture(new HubException(HubError.FORBIDDEN, "the token has no admin right"));
      }
      return Future.succeededFuture(caller);
    });
  }

  private Future<Caller> loopbackOnly(HttpServerRequest request, String what) {
    if (Clients.peerIsLoopback(request)) {
      return Future.succeededFuture(null);
    }
    return Future.failedFuture(new HubException(HubError.FORBIDDEN,
      "development mode (no auth key configured): " + what + " is open to loopback clients only"));
  }

  static String token(HttpServerRequest request) {
    String header = request.getHeader("Authorization");
    if (header != null) {
      return header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
    }
    Cookie cookie = request.getCookie(COOKIE);
    if (cookie != null) {
      return cookie.getValue();
    }
    List<String> fromQuery = QueryString.parse(request.query()).get(QUERY);
    return fromQuery == null ? null : fromQuery.get(0);
  }
}
