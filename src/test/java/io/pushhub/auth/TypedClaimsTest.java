package io.pushhub.auth;

import io.pushhub.error.HubError;
import io.pushhub.support.SseClient;
import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Validly signed tokens whose registered claims have the wrong type, or no {@code exp}: {@code 401
 * auth}, counted, on every route and from every token source; a far-future {@code exp} is no expiry.
 */
class TypedClaimsTest {

  private static final String SECRET = "typed-claims-secret-of-enough-length-0123";
  private static TestHub hub;
  private static Tokens tokens;

  @BeforeAll
  static void start() throws Exception {
    hub = TestHub.start(new JsonObject().put("auth", new JsonObject().put("hs256Secret", SECRET)
      .put("issuer", "https://issuer.example").put("audience", "pushhub")));
    tokens = new Tokens(hub.vertx());
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  private static JsonObject valid() {
    JsonObject rights = new JsonObject().put("subscribe", new JsonArray().add("**")).put("publish", new JsonArray().add("**"))
      .put("admin", true);
    return Tokens.claims("alice", System.currentTimeMillis() / 1000 + 600, rights)
      .put("iss", "https://issuer.example").put("aud", "pushhub");
  }

  @Test
  void wronglyTypedOrMissingClaimsAre401OnEveryRouteAndSource() {
    List<UnaryOperator<JsonObject>> bad = new ArrayList<>();
    for (String time : List.of("exp", "nbf", "iat")) {
      for (Object value : new Object[]{"1790000000", null, true, new JsonObject(), new JsonArray().add(1)}) {
        bad.add(c -> c.put(time, value));
      }
    }
    for (Object value : new Object[]{5, new JsonObject(), true, new JsonArray().add(5)}) {
      bad.add(c -> c.put("aud", value));
      bad.add(c -> c.put("iss", value));
    }
    bad.add(c -> {
      c.remove("exp");
      return c;
    });
    long before = hub.hub().rejected(HubError.AUTH);
    int sent = 0;
    for (UnaryOperator<JsonObject> change : bad) {
      String token = tokens.hs256(SECRET, change.apply(valid()));
      for (String source : List.of("header", "cookie", "query")) {
        for (String route : List.of("events", "publish", "admin")) {
          TestHub.Answer answer = hub.send(request(route, source, token));
          assertThat(answer.status()).as(route + " " + source + " " + change.apply(valid())).isEqualTo(401);
          assertThat(answer.json().getString("error")).isEqualTo("auth");
          assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer");
          sent++;
        }
      }
    }
    assertThat(hub.hub().rejected(HubError.AUTH) - before).isGreaterThanOrEqualTo(sent);
    // The same claims, well typed, are let in.
    assertThat(hub.send(request("admin", "header", tokens.hs256(SECRET, valid()))).status()).isEqualTo(200);
  }

  @Test
  void aFarFutureExpIsNoExpiry() {
    String token = tokens.hs256(SECRET, valid().put("exp", 1e308));
    try (SseClient stream = hub.subscribe("/events?topic=far/x&access_token=" + token)) {
      await().until(() -> stream.status() == 200);
      hub.send(request("publish", "header", token));
      await().until(() -> stream.data().contains("x"));
      assertThat(stream.events()).noneMatch(e -> "expired".equals(e.event()));
      assertThat(stream.ended()).isFalse();
    }
  }

  @Test
  void requireExpFalseLetsATokenWithoutExpIn() {
    try (TestHub lenient = TestHub.start(new JsonObject().put("auth", new JsonObject().put("hs256Secret", SECRET)
      .put("requireExp", false)))) {
      JsonObject claims = valid();
      claims.remove("exp");
      TestHub.Answer answer = lenient.send(lenient.request("/admin/config")
        .header("Authorization", "Bearer " + tokens.hs256(SECRET, claims)));
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.json().getJsonObject("auth").getBoolean("requireExp")).isFalse();
    }
  }

  private static HttpRequest.Builder request(String route, String source, String token) {
    String uri = switch (route) {
      case "events" -> "/events?topic=a";
      case "publish" -> "/publish";
      default -> "/admin/config";
    };
    if (source.equals("query")) {
      uri += (uri.contains("?") ? "&" : "?") + "access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }
    HttpRequest.Builder request = hub.request(uri);
    if (route.equals("publish")) {
      request.header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"topic\": \"far/x\", \"data\": \"x\"}"));
    }
    if (source.equals("header")) {
      request.header("Authorization", "Bearer " + token);
    } else if (source.equals("cookie")) {
      request.header("Cookie", "pushhub_token=" + token);
    }
    return request;
  }
}
