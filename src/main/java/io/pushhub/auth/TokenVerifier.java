package io.pushhub.auth;

import io.pushhub.config.ConfigException;
import io.pushhub.config.HubConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.util.List;

/**
 * Verifies tokens with vertx-auth-jwt: the HS256 secret and every configured PEM public key at
 * once (RS256 for RSA keys, ES256 for EC keys), so keys rotate by listing old and new together.
 * {@code exp} is enforced; {@code iss} and {@code aud} when configured. A token's algorithm only
 * ever selects keys of that algorithm, so an HS256 token cannot be checked against a public key.
 * With {@code auth.jwksUrl}, the provider's current keys come on top ({@link JwksKeys}).
 */
public final class TokenVerifier {

  private final JwksKeys jwks;
  private final boolean requireExp;
  private volatile JWTAuth jwt;

  public TokenVerifier(Vertx vertx, HubConfig.Auth auth) {
    JWTOptions checks = new JWTOptions();
    if (auth.issuer() != null) {
      checks.setIssuer(auth.issuer());
    }
    if (auth.audience() != null) {
      checks.setAudience(List.of(auth.audience()));
    }
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(checks);
    if (auth.hs256Secret() != null) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(auth.hs256Secret()));
    }
    for (String pem : auth.publicKeys()) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithmOf(pem)).setBuffer(pem));
    }
    this.jwt = JWTAuth.create(vertx, options);
    this.requireExp = auth.requireExp();
    this.jwks = auth.jwks().url() == null ? null : new JwksKeys(vertx, auth.jwks(),
      keys -> jwt = JWTAuth.create(vertx, new JWTAuthOptions(options).setJwks(keys)));
  }

  /**
   * The caller of a valid token; fails for a token that is malformed, badly signed, expired,
   * misaddressed, without {@code exp} (with {@code auth.requireExp}) or with a registered claim of
   * the wrong type. vertx-auth-jwt throws on some of the latter instead of failing its future.
   */
  public Future<Caller> verify(String token) {
    return claims(token).map(Caller::fromClaims);
  }

  /** The claims of a valid token, checked as {@link #verify} checks them; for rights other than {@code pushhub}'s. */
  public Future<JsonObject> claims(String token) {
    try {
      Future<Void> keys = jwks == null ? Future.succeededFuture() : jwks.ready(JwksKeys.kidOf(token));
      return keys.compose(v -> jwt.authenticate(new TokenCredentials(token)))
        .map(user -> checked(user.attributes().getJsonObject("accessToken", user.principal())));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private JsonObject checked(JsonObject claims) {
    for (String time : List.of("exp", "nbf", "iat")) {
      if (claims.containsKey(time) && !(claims.getValue(time) instanceof Number)) {
        throw new IllegalArgumentException("claim " + time + " is not a number");
      }
    }
    if (requireExp && !claims.containsKey("exp")) {
      throw new IllegalArgumentException("no exp claim");
    }
    if (claims.containsKey("iss") && !(claims.getValue("iss") instanceof String)) {
      throw new IllegalArgumentException("claim iss is not a string");
    }
    Object aud = claims.getValue("aud");
    if (claims.containsKey("aud") && !(aud instanceof String
      || aud instanceof JsonArray list && list.stream().allMatch(String.class::isInstance))) {
      throw new IllegalArgumentException("claim aud is not a string or a list of strings");
    }
    return claims;
  }

  /** RS256 or ES256 from the key itself; a PEM that is neither is a config error. */
  static String algorithmOf(String pem) {
    String algorithm;
    try {
      algorithm = PemKeys.jwtAlgorithm(pem, false);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("auth.publicKeys: not a PEM public key");
    }
    if (algorithm == null) {
      throw new ConfigException("auth.publicKeys: a key is neither an RSA nor an EC public key (BEGIN PUBLIC KEY)");
    }
    return algorithm;
  }
}
