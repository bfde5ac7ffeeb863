package io.pushhub.auth;

import io.pushhub.support.SseClient;
import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SPEC §4 over real HTTP: token sources, HS256/RS256/ES256 keys at once, claims, rights, patterns. */
class AuthTest {

  private static final String SECRET = "a-test-secret-of-enough-length-0123456789";
  private static TestHub hub;
  private static Tokens tokens;

  @BeforeAll
  static void start() throws Exception {
    io.vertx.core.Vertx signer = io.vertx.core.Vertx.vertx();
    tokens = new Tokens(signer);
    hub = TestHub.start(new JsonObject().put("auth", new JsonObject()
      .put("hs256Secret", SECRET)
      .put("publicKeys", new JsonArray()
        .add(Tokens.pem("PUBLIC KEY", tokens.rsa.getPublic().getEncoded()))
        .add(Tokens.pem("PUBLIC KEY", tokens.ec.getPublic().getEncoded())))
      .put("issuer", "https://issuer.example")
      .put("audience", "pushhub")
      .put("anonymousTopics", new JsonArray().add("public/**"))));
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  private static JsonObject rights() {
    return new JsonObject().put("subscribe", new JsonArray().add("news/*")).put("publish", new JsonArray().add("news/**"));
  }

  private static JsonObject claims(JsonObject rights) {
    return Tokens.claims("alice", System.currentTimeMillis() / 1000 + 600, rights)
      .put("iss", "https://issuer.example").put("aud", "pushhub");
  }

  private static TestHub.Answer get(String uri, String header, String value) {
    HttpRequest.Builder request = hub.request(uri).GET();
    if (header != null) {
      request.header(header, value);
    }
    return hub.send(request);
  }

  /** Opens a stream with a real SSE client (a 200 never ends) and returns its status. */
  private static int streamStatus(String uri, String header, String value) {
    io.vertx.core.http.RequestOptions options = new io.vertx.core.http.RequestOptions().setHost("127.0.0.1")
      .setPort(hub.port()).setURI(uri);
    if (header != null) {
      options.putHeader(header, value);
    }
    io.vertx.core.http.HttpClient http = hub.vertx().createHttpClient();
    try {
      return io.pushhub.support.Await.result(http.request(options).compose(r -> r.send())
        .map(io.vertx.core.http.HttpClientResponse::statusCode));
    } finally {
      http.close();
    }
  }

  @Test
  void everyKeyTypeIsAcceptedAtOnce() {
    String hs = tokens.hs256(SECRET, claims(rights()));
    String rs = tokens.rs256(tokens.rsa, claims(rights()));
    String es = tokens.es256(tokens.ec, claims(rights()));
    for (String token : List.of(hs, rs, es)) {
      try (SseClient client = SseClient.open(hub.vertx(), hub.port(), "/events?topic=news/a&access_token=" + token)) {
        assertThat(client.status()).isEqualTo(200);
      }
    }
  }

  @Test
  void missingBadAndForeignTokensAre401() throws Exception {
    TestHub.Answer missing = get("/events?topic=news/a", null, null);
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.header("WWW-Authenticate")).isEqualTo("Bearer");
    assertThat(missing.json().getString("error")).isEqualTo("auth");

    long past = System.currentTimeMillis() / 1000 - 60;
    java.security.KeyPairGenerator gen = java.security.KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    List<String> bad = List.of(
      "not.a.token",
      tokens.hs256("another-secret-of-enough-length-012345678", claims(rights())),
      tokens.hs256(SECRET, claims(rights()).put("exp", past)),
      tokens.hs256(SECRET, claims(rights()).put("iss", "https://evil.example")),
      tokens.hs256(SECRET, claims(rights()).put("aud", "someone-else")),
      tokens.rs256(gen.generateKeyPair(), claims(rights())),
      Tokens.forged("none", claims(rights()), null),
      // Algorithm confusion: HMAC with the secret, header claiming RS256.
      Tokens.forged("RS256", claims(rights()), SECRET));
    for (String token : bad) {
      TestHub.Answer answer = get("/events?topic=news/a", "Authorization", "Bearer " + token);
      assertThat(answer.status()).as(token).isEqualTo(401);
      assertThat(answer.header("WWW-Authenticate")).contains("invalid_token");
    }
  }

  @Test
  void theFirstSourcePresentDecides() {
    String good = tokens.hs256(SECRET, claims(rights()));
    assertThat(streamStatus("/events?topic=news/a", "Cookie", Access.COOKIE + "=" + good)).isEqualTo(200);
    TestHub.Answer headerWins = hub.send(hub.request("/events?topic=news/a&access_token=" + good).GET()
      .header("Authorization", "Bearer garbage").header("Cookie", Access.COOKIE + "=" + good));
    assertThat(headerWins.status()).isEqualTo(401);
    TestHub.Answer cookieWins = hub.send(hub.request("/events?topic=news/a&access_token=" + good).GET()
      .header("Cookie", Access.COOKIE + "=garbage"));
    assertThat(cookieWins.status()).isEqualTo(401);
  }

  @Test
  void topicsNotGrantedAre403ForTheWholeRequest() {
    String token = tokens.hs256(SECRET, claims(rights()));
    assertThat(streamStatus("/events?topic=news/a&topic=sport/a", "Authorization", "Bearer " + token)).isEqualTo(403);
    assertThat(streamStatus("/events?topic=news/a/b", "Authorization", "Bearer " + token)).isEqualTo(403);
    assertThat(streamStatus("/events?topic=public/x/y", null, null)).isEqualTo(200);
    assertThat(streamStatus("/events?topic=public/x&topic=news/a", null, null)).isEqualTo(401);
  }

  @Test
  void publishingNeedsThePublishRight() {
    String token = tokens.hs256(SECRET, claims(rights()));
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofString("{\"topic\": \"news/a/b\", \"data\": 1}");
    TestHub.Answer ok = hub.send(hub.request("/publish").header("Content-Type", "application/json")
      .header("Authorization", "Bearer " + token).POST(body));
    assertThat(ok.status()).isEqualTo(200);
    TestHub.Answer denied = hub.send(hub.request("/publish").header("Content-Type", "application/json")
      .header("Authorization", "Bearer " + token)
      .POST(HttpRequest.BodyPublishers.ofString("{\"topic\": \"sport/a\", \"data\": 1}")));
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.json().getString("error")).isEqualTo("forbidden");
    assertThat(hub.post("/publish", "{\"topic\": \"news/a\", \"data\": 1}").status()).isEqualTo(401);
  }

  @Test
  void adminNeedsTheAdminRight() {
    String user = tokens.hs256(SECRET, claims(rights()));
    String admin = tokens.hs256(SECRET, claims(rights().put("admin", true)));
    assertThat(get("/admin/cluster", null, null).status()).isEqualTo(401);
    assertThat(get("/admin/cluster", "Authorization", "Bearer " + user).status()).isEqualTo(403);
    assertThat(get("/admin/cluster", "Authorization", "Bearer " + admin).status()).isEqualTo(200);
  }

  @Test
  void aStreamEndsWithExpiredAtItsTokensExp() {
    String shortLived = tokens.hs256(SECRET, claims(rights()).put("exp", System.currentTimeMillis() / 1000 + 2));
    try (SseClient client = SseClient.open(hub.vertx(), hub.port(), "/events?topic=news/a&access_token=" + shortLived)) {
      assertThat(client.status()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(6)).until(client::ended);
      assertThat(client.events()).last().satisfies(e -> {
        assertThat(e.event()).isEqualTo("expired");
        assertThat(new JsonObject(e.data())).isEqualTo(new JsonObject().put("reason", "token-expired"));
      });
    }
  }

  @Test
  void adminSeesTheTokenSubjectAsUser() {
    String token = tokens.hs256(SECRET, claims(rights()));
    String admin = tokens.hs256(SECRET, claims(rights().put("admin", true)));
    try (SseClient client = SseClient.open(hub.vertx(), hub.port(), "/events?topic=news/u&access_token=" + token)) {
      JsonArray connections = get("/admin/connections?user=alice&topic=news/u", "Authorization", "Bearer " + admin)
        .json().getJsonArray("connections");
      assertThat(connections).hasSize(1);
    }
  }
}
