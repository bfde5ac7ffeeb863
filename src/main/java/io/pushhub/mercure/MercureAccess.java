package io.pushhub.mercure;

import io.pushhub.auth.TokenVerifier;
import io.pushhub.config.HubConfig;
import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.pushhub.http.Clients;
import io.pushhub.http.QueryString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;

/**
 * Who may subscribe and publish on the Mercure endpoint (docs/mercure.md). Tokens are verified
 * with the hub's {@code auth.*} keys; rights come from the claim {@code mercure}. Without a key
 * (development mode) anyone may subscribe, tokens are ignored, private updates reach nobody, and
 * publishing is for loopback clients, as on {@code /publish}.
 */
public final class MercureAccess {

  private final TokenVerifier verifier;
  private final boolean anonymous;
  private final MercureTokens tokens;

  public MercureAccess(Vertx vertx, HubConfig config) {
    this(config.auth().developmentMode() ? null : new TokenVerifier(vertx, config.auth()), config);
  }

  /** Verifies with {@code verifier} (shared with pushhub's own endpoints: one set of keys, one JWKS refresh). */
  public MercureAccess(TokenVerifier verifier, HubConfig config) {
    this(verifier, config.mercure().anonymous(), new MercureTokens(config.cors().allowedOrigins()));
  }

  MercureAccess(TokenVerifier verifier, boolean anonymous, MercureTokens tokens) {
    this.verifier = verifier;
    this.anonymous = anonymous;
    this.tokens = tokens;
  }

  /**
   * The subscriber's rights, {@code null} for a subscriber without a token (allowed with
   * {@code mercure.anonymous}, and always in development mode); fails 401 for a bad token, or
   * for a missing one when anonymous subscribers are not allowed.
   */
  public Future<MercureClaims> subscriber(HttpServerRequest request) {
    if (verifier == null) {
      return Future.succeededFuture(null);
    }
    return claims(request).compose(claims -> claims != null || anonymous
      ? Future.succeededFuture(claims)
      : Future.failedFuture(new HubException(HubError.AUTH, "a token is required to subscribe")));
  }

  /**
   * The publisher's rights for an update on {@code topics} (canonical first): 401 without a valid
   * token, 403 when the claim's {@code publish} selectors do not match every topic. In development
   * mode, {@code null} for a loopback client and 403 for any other.
   */
  public Future<MercureClaims> publisher(HttpServerRequest request, List<String> topics) {
    if (verifier == null) {
      return Clients.peerIsLoopback(request) ? Future.succeededFuture(null) : Future.failedFuture(new HubException(
        HubError.FORBIDDEN, "development mode (no auth key configured): publishing is open to loopback clients only"));
    }
    return claims(request).compose(claims -> {
      if (claims == null) {
        return Future.failedFuture(new HubException(HubError.AUTH, "a token is required to publish"));
      }
      if (!claims.mayPublish(topics)) {
        return Future.failedFuture(new HubException(HubError.FORBIDDEN,
          "the token's mercure.publish selectors do not match every topic of the update"));
      }
      return Future.succeededFuture(claims);
    });
  }

  /**
   * Whether a request may read the subscriptions API at {@code path} (its raw path): 401 without a
   * valid token, 403 when the token's {@code mercure.subscribe} selectors do not match the path.
   * Anyone may in development mode.
   */
  public Future<Void> subscriptionsReader(HttpServerRequest request, String path) {
    if (verifier == null) {
      return Future.succeededFuture();
    }
    return claims(request).compose(claims -> {
      if (claims == null) {
        return Future.failedFuture(new HubException(HubError.AUTH, "a token is required to read subscriptions"));
      }
      if (!claims.subscribe().matches(path)) {
        return Future.failedFuture(new HubException(HubError.FORBIDDEN,
          "the token's mercure.subscribe selectors do not match " + path));
      }
      return Future.succeededFuture();
    });
  }

  /** Whether a subscriber with {@code claims} ({@code null}: none) may receive an update. */
  public static boolean mayReceive(MercureClaims claims, List<String> topics, boolean isPrivate) {
    return !isPrivate || claims != null && claims.mayReceivePrivate(topics);
  }

  private Future<MercureClaims> claims(HttpServerRequest request) {
    String token;
    try {
      token = tokens.token(request.method() == HttpMethod.POST, request.headers().getAll(HttpHeaders.AUTHORIZATION),
        QueryString.parse(request.query()).get(MercureTokens.QUERY), cookie(request),
        request.getHeader(HttpHeaders.ORIGIN), request.getHeader(HttpHeaders.REFERER), ownOrigin(request));
    } catch (HubException e) {
      return Future.failedFuture(e);
    }
    if (token == null) {
      return Future.succeededFuture(null);
    }
    return verifier.claims(token)
      .recover(e -> Future.failedFuture(HubException.invalidToken("invalid or expired token")))
      .map(MercureClaims::fromClaims);
  }

  private static String cookie(HttpServerRequest request) {
    Cookie cookie = request.getCookie(MercureTokens.COOKIE);
    return cookie == null ? null : cookie.getValue();
  }

  private static String ownOrigin(HttpServerRequest request) {
    String host = request.getHeader(HttpHeaders.HOST);
    return host == null ? null : (request.isSSL() ? "https://" : "http://") + host;
  }
}
