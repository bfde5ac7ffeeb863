package io.pushhub.auth;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** Keys and tokens made in the test, signed with vertx-auth-jwt. */
public final class Tokens {

  final KeyPair rsa;
  final KeyPair ec;
  private final Vertx vertx;

  public Tokens(Vertx vertx) throws Exception {
    this.vertx = vertx;
    KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA");
    rsaGen.initialize(2048);
    this.rsa = rsaGen.generateKeyPair();
    KeyPairGenerator ecGen = KeyPairGenerator.getInstance("EC");
    ecGen.initialize(new ECGenParameterSpec("secp256r1"));
    this.ec = ecGen.generateKeyPair();
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
      .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  public String hs256(String secret, JsonObject claims) {
    return sign("HS256", secret, claims);
  }

  String rs256(KeyPair keys, JsonObject claims) {
    return sign("RS256", pem("PRIVATE KEY", keys.getPrivate().getEncoded()), claims);
  }

  String es256(KeyPair keys, JsonObject claims) {
    return sign("ES256", pem("PRIVATE KEY", keys.getPrivate().getEncoded()), claims);
  }

  private String sign(String algorithm, String key, JsonObject claims) {
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(key)));
    return signer.generateToken(claims, new JWTOptions().setAlgorithm(algorithm).setNoTimestamp(true));
  }

  /** An unsigned token ({@code alg: none}) or one whose header names another algorithm than its signature. */
  static String forged(String headerAlg, JsonObject claims, String hmacSecret) throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String head = b64.encodeToString(new JsonObject().put("alg", headerAlg).put("typ", "JWT").encode().getBytes(StandardCharsets.UTF_8));
    String body = b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    if (hmacSecret == null) {
      return head + "." + body + ".";
    }
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(hmacSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return head + "." + body + "." + b64.encodeToString(mac.doFinal((head + "." + body).getBytes(StandardCharsets.UTF_8)));
  }

  public static JsonObject claims(String sub, long expSeconds, JsonObject rights) {
    return new JsonObject().put("sub", sub).put("exp", expSeconds).put("pushhub", rights);
  }
}
