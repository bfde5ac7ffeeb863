package io.pushhub.auth;

import io.pushhub.config.ConfigException;
import io.pushhub.config.HubConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * Verifies tokens with vertx-auth-jwt: the HS256 secret and every configured PEM public key at
 * once (RS256 for RSA keys, ES256 for EC keys), so keys rotate by listing old and new together.
 * {@code exp} is enforced; {@code iss} and {@code aud} when configured. A token's algorithm only
 * ever selects keys of that algorithm, so an HS256 token cannot be checked against a public key.
 */
public final class TokenVerifier {

  private final JWTAuth jwt;

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
  }

  /** The caller of a valid token; fails for a token that is malformed, badly signed, expired or misaddressed. */
  public Future<Caller> verify(String token) {
    return jwt.authenticate(new TokenCredentials(token))
      .map(user -> Caller.fromClaims(user.attributes().getJsonObject("accessToken", user.principal())));
  }

  /** RS256 or ES256 from the key itself; a PEM that is neither is a config error. */
  static String algorithmOf(String pem) {
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("auth.publicKeys: not a PEM public key");
    }
    for (String[] candidate : new String[][]{{"RSA", "RS256"}, {"EC", "ES256"}}) {
      try {
        KeyFactory.getInstance(candidate[0]).generatePublic(new X509EncodedKeySpec(der));
        return candidate[1];
      } catch (Exception e) {
        // not this type
      }
    }
    throw new ConfigException("auth.publicKeys: a key is neither an RSA nor an EC public key (BEGIN PUBLIC KEY)");
  }
}
