package io.pushhub.auth;

import io.pushhub.config.ConfigException;
import io.pushhub.config.ConfigLoader;
import io.pushhub.support.Await;
import io.pushhub.support.TestHub;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * auth.jwksUrl against a JWKS server of the test's own: the provider rotates to a new key and the
 * running hub accepts tokens signed with it, without a restart; unknown kids fetch at most once
 * per auth.jwksMinRefreshSeconds.
 */
class JwksRotationTest {

  private static final int MIN_REFRESH_SECONDS = 2;

  private final Vertx vertx = Vertx.vertx();
  private final AtomicReference<JsonObject> document = new AtomicReference<>();
  private final AtomicInteger fetches = new AtomicInteger();
  private HttpServer jwksServer;
  private TestHub hub;
  private KeyPair first;
  private KeyPair second;

  @BeforeEach
  void start() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    first = generator.generateKeyPair();
    second = generator.generateKeyPair();
    document.set(jwks(jwk("key-1", first)));
    jwksServer = Await.result(vertx.createHttpServer().requestHandler(request -> {
      fetches.incrementAndGet();
      request.response().putHeader("Content-Type", "application/jwk-set+json").end(document.get().encode());
    }).listen(0, "127.0.0.1"));
    // One event loop: the refresh bound is per verticle instance.
    hub = TestHub.start(new JsonObject()
      .put("http", new JsonObject().put("instances", 1))
      .put("auth", new JsonObject()
        .put("jwksUrl", "http://127.0.0.1:" + jwksServer.actualPort() + "/.well-known/jwks.json")
        .put("jwksRefreshSeconds", 3600)
        .put("jwksMinRefreshSeconds", MIN_REFRESH_SECONDS)));
    await().until(() -> fetches.get() == 1);
  }

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
    vertx.close().await();
  }

  @Test
  void aKeyAddedByTheProviderIsAcceptedWithoutARestart() {
    assertThat(publish(token("key-1", first)).status()).isEqualTo(200);
    String rotated = token("key-2", second);
    assertThat(publish(rotated).status()).isEqualTo(401);

    document.set(jwks(jwk("key-1", first), jwk("key-2", second)));
    await().atMost(Duration.ofSeconds(MIN_REFRESH_SECONDS + 5)).until(() -> publish(rotated).status() == 200);
    assertThat(publish(token("key-1", first)).status()).isEqualTo(200);

    // The provider drops the old key: the next fetch (a token with another unknown kid) retires it.
    document.set(jwks(jwk("key-2", second)));
    String old = token("key-1", first);
    await().atMost(Duration.ofSeconds(MIN_REFRESH_SECONDS + 5)).until(() -> {
      publish(token("key-3", second));
      return publish(old).status() == 401;
    });
  }

  @Test
  void unknownKidsFetchAtMostOncePerMinRefreshInterval() {
    long start = System.nanoTime();
    int before = fetches.get();
    for (int i = 0; i < 20; i++) {
      assertThat(publish(token("made-up-" + i, second)).status()).isEqualTo(401);
    }
    long elapsedSeconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
    assertThat(fetches.get() - before).isBetween(0, 1 + (int) (elapsedSeconds / MIN_REFRESH_SECONDS));
    // A known kid never fetches.
    int known = fetches.get();
    for (int i = 0; i < 20; i++) {
      assertThat(publish(token("key-1", first)).status()).isEqualTo(200);
    }
    assertThat(fetches.get()).isEqualTo(known);
  }

  @Test
  void jwksUrlMustBeHttpAndTurnsDevelopmentModeOff() {
    JsonObject file = new JsonObject().put("auth", new JsonObject().put("jwksUrl", "file:///etc/keys.json"));
    assertThatThrownBy(() -> ConfigLoader.fromJson(file)).isInstanceOf(ConfigException.class)
      .hasMessageContaining("auth.jwksUrl").hasMessageContaining("http");
    JsonObject url = new JsonObject().put("auth", new JsonObject().put("jwksUrl", "https://id.example.com/jwks"));
    assertThat(ConfigLoader.fromJson(url).auth().developmentMode()).isFalse();
    assertThat(ConfigLoader.fromJson(url).auth().jwks().minRefreshSeconds()).isEqualTo(30);
  }

  private TestHub.Answer publish(String token) {
    return hub.send(hub.request("/publish").header("Authorization", "Bearer " + token)
      .header("Content-Type", "application/json")
      .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"topic\":\"keys/news\",\"data\":\"x\"}")));
  }

  private String token(String kid, KeyPair keys) {
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
      .setAlgorithm("RS256").setBuffer(Tokens.pem("PRIVATE KEY", keys.getPrivate().getEncoded()))));
    JsonObject claims = Tokens.claims("svc", System.currentTimeMillis() / 1000 + 600,
      new JsonObject().put("publish", new JsonArray().add("keys/**")));
    return signer.generateToken(claims, new JWTOptions().setAlgorithm("RS256").setHeader(new JsonObject().put("kid", kid)));
  }

  private static JsonObject jwks(JsonObject... keys) {
    return new JsonObject().put("keys", new JsonArray(Arrays.asList((Object[]) keys)));
  }

  /** The public half as a JWK (RFC 7517/7518: n and e unsigned, base64url). */
  private static JsonObject jwk(String kid, KeyPair keys) {
    RSAPublicKey key = (RSAPublicKey) keys.getPublic();
    return new JsonObject().put("kty", "RSA").put("kid", kid).put("use", "sig").put("alg", "RS256")
      .put("n", base64Url(key.getModulus())).put("e", base64Url(key.getPublicExponent()));
  }

  private static String base64Url(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
