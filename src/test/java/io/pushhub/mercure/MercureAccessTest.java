package io.pushhub.mercure;

import io.pushhub.auth.Tokens;
import io.pushhub.config.ConfigLoader;
import io.pushhub.config.HubConfig;
import io.pushhub.error.HubException;
import io.pushhub.http.QueryString;
import io.pushhub.support.RawHttp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The protocol's authorization rules over real sockets: token sources and their precedence, the
 * cookie's origin check on publishing, publish rights over every topic, anonymous subscribers,
 * development mode. A tiny server answers what {@link MercureAccess} decided.
 */
class MercureAccessTest {

  private static final String SECRET = "a-mercure-test-secret-of-enough-length-0123";
  private static Vertx vertx;
  private static Tokens tokens;
  private static int strict;
  private static int anonymous;
  private static int development;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    tokens = new Tokens(vertx);
    strict = serve(config(true, false));
    anonymous = serve(config(true, true));
    development = serve(config(false, false));
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static HubConfig config(boolean withKey, boolean anonymousSubscribers) {
    JsonObject json = new JsonObject()
      .put("mercure", new JsonObject().put("anonymous", anonymousSubscribers))
      .put("cors", new JsonObject().put("allowedOrigins", new JsonArray().add("https://app.example")));
    if (withKey) {
      json.put("auth", new JsonObject().put("hs256Secret", SECRET));
    }
    return ConfigLoader.fromJson(json);
  }

  /** GET asks to subscribe, POST to publish to the {@code topic}s of the query; answers the decision. */
  private static int serve(HubConfig config) {
    MercureAccess access = new MercureAccess(vertx, config);
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      List<String> topics = QueryString.parse(request.query()).getOrDefault("topic", List.of());
      Future<MercureClaims> decision = request.method() == HttpMethod.POST
        ? access.publisher(request, topics) : access.subscriber(request);
      decision.onComplete(done -> {
        if (done.succeeded()) {
          MercureClaims claims = done.result();
          request.response().end("200 " + (claims == null ? "none" : claims.subject() + " " + claims.subscribe()));
        } else {
          HubException e = (HubException) done.cause();
          request.response().setStatusCode(e.error().status()).end(e.error().status() + " " + e.error().code());
        }
      });
    });
    return server.listen(0, "127.0.0.1").await().actualPort();
  }

  private static String token(JsonObject mercure) {
    JsonObject claims = new JsonObject().put("sub", "alice").put("exp", System.currentTimeMillis() / 1000 + 600);
    if (mercure != null) {
      claims.put("mercure", mercure);
    }
    return tokens.hs256(SECRET, claims);
  }

  private static JsonObject rights(String subscribe, String... publish) {
    return new JsonObject().put("subscribe", new JsonArray().add(subscribe)).put("publish", new JsonArray(List.of(publish)));
  }

  private static String answer(int port, String method, String target, String... headers) throws Exception {
    String request = method + " " + target + " HTTP/1.1\r\nHost: hub.example\r\nConnection: close\r\n"
      + String.join("", List.of(headers).stream().map(h -> h + "\r\n").toList()) + "Content-Length: 0\r\n\r\n";
    String response = RawHttp.exchange(port, request);
    return response.substring(response.indexOf("\r\n\r\n") + 4).replace("<EOF>", "");
  }

  @Test
  void theHeaderWinsOverTheQueryAndTheCookie() throws Exception {
    String good = token(rights("a"));
    assertThat(answer(strict, "GET", "/?authorization=bad", "Authorization: Bearer " + good,
      "Cookie: mercureAuthorization=bad")).isEqualTo("200 alice [a]");
    assertThat(answer(strict, "GET", "/?authorization=" + good, "Authorization: Bearer bad")).isEqualTo("401 auth");
    assertThat(answer(strict, "GET", "/", "Authorization: Basic " + good)).isEqualTo("401 auth");
  }

  @Test
  void theQueryParameterWinsOverTheCookie() throws Exception {
    String good = token(rights("q"));
    assertThat(answer(strict, "GET", "/?authorization=" + good, "Cookie: mercureAuthorization=bad"))
      .isEqualTo("200 alice [q]");
    assertThat(answer(strict, "GET", "/?authorization=bad", "Cookie: mercureAuthorization=" + good)).isEqualTo("401 auth");
    assertThat(answer(strict, "GET", "/?authorization=" + good + "&authorization=" + good)).isEqualTo("401 auth");
  }

  @Test
  void aCookieAuthenticatesASubscriber() throws Exception {
    assertThat(answer(strict, "GET", "/", "Cookie: mercureAuthorization=" + token(rights("c")))).isEqualTo("200 alice [c]");
    assertThat(answer(strict, "GET", "/", "Cookie: mercureAuthorization=bad")).isEqualTo("401 auth");
  }

  @Test
  void withoutATokenSubscribingNeedsAnonymousOrDevelopmentMode() throws Exception {
    assertThat(answer(strict, "GET", "/")).isEqualTo("401 auth");
    assertThat(answer(anonymous, "GET", "/")).isEqualTo("200 none");
    assertThat(answer(anonymous, "GET", "/", "Authorization: Bearer bad")).isEqualTo("401 auth");
    assertThat(answer(development, "GET", "/")).isEqualTo("200 none");
  }

  @Test
  void aPublisherNeedsEveryTopicMatched() throws Exception {
    String books = token(rights("x", "https://example.com/books/{id}"));
    String auth = "Authorization: Bearer ";
    assertThat(answer(strict, "POST", "/?topic=https://example.com/books/1", auth + books)).startsWith("200");
    assertThat(answer(strict, "POST", "/?topic=https://example.com/books/1&topic=https://example.com/users/1", auth + books))
      .isEqualTo("403 forbidden");
    assertThat(answer(strict, "POST", "/?topic=x", auth + token(rights("x")))).isEqualTo("403 forbidden");
    assertThat(answer(strict, "POST", "/?topic=x", auth + token(null))).isEqualTo("403 forbidden");
    assertThat(answer(strict, "POST", "/?topic=x", auth + token(rights("x", "*")))).startsWith("200");
    assertThat(answer(strict, "POST", "/?topic=x")).isEqualTo("401 auth");
    assertThat(answer(anonymous, "POST", "/?topic=x")).isEqualTo("401 auth");
  }

  @Test
  void publishingWithTheCookieNeedsAnAllowedOrigin() throws Exception {
    String cookie = "Cookie: mercureAuthorization=" + token(rights("x", "*"));
    assertThat(answer(strict, "POST", "/?topic=x", cookie)).isEqualTo("403 forbidden");
    assertThat(answer(strict, "POST", "/?topic=x", cookie, "Origin: https://evil.example")).isEqualTo("403 forbidden");
    assertThat(answer(strict, "POST", "/?topic=x", cookie, "Origin: https://app.example")).startsWith("200");
    assertThat(answer(strict, "POST", "/?topic=x", cookie, "Referer: https://app.example/page?x=1")).startsWith("200");
    assertThat(answer(strict, "POST", "/?topic=x", cookie, "Referer: https://evil.example/app.example")).isEqualTo("403 forbidden");
    assertThat(answer(strict, "POST", "/?topic=x", cookie, "Origin: http://hub.example")).startsWith("200");
  }

  @Test
  void developmentModePublishesFromLoopbackOnly() throws Exception {
    assertThat(answer(development, "POST", "/?topic=x")).isEqualTo("200 none");
    String address = RawHttp.nonLoopbackAddress();
    if (address != null) {
      HttpServer outside = vertx.createHttpServer().requestHandler(request ->
        new MercureAccess(vertx, config(false, false)).publisher(request, List.of("x")).onComplete(done ->
          request.response().end(done.succeeded() ? "200" : String.valueOf(((HubException) done.cause()).error().status()))));
      int port = outside.listen(0, "0.0.0.0").await().actualPort();
      String response = RawHttp.exchange(address, port,
        "POST / HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Length: 0\r\n\r\n".getBytes());
      assertThat(response).contains("\r\n\r\n403");
      outside.close().await();
    }
  }

  @Test
  void privateUpdatesReachOnlySubscribersWithAMatchingSelector() {
    MercureClaims claims = MercureClaims.fromClaims(new JsonObject().put("mercure",
      new JsonObject().put("subscribe", new JsonArray().add("https://example.com/users/foo/{?topic}"))));
    List<String> update = List.of("https://example.com/books/1",
      "https://example.com/users/foo/?topic=https%3A%2F%2Fexample.com%2Fbooks%2F1");
    assertThat(MercureAccess.mayReceive(claims, update, true)).isTrue();
    assertThat(MercureAccess.mayReceive(claims, update.subList(0, 1), true)).isFalse();
    assertThat(MercureAccess.mayReceive(null, update, true)).isFalse();
    assertThat(MercureAccess.mayReceive(null, update, false)).isTrue();
  }

  @Test
  void aMalformedMercureClaimIsA401() {
    for (JsonObject bad : List.of(new JsonObject().put("mercure", "x"),
      new JsonObject().put("mercure", new JsonObject().put("publish", "*")),
      new JsonObject().put("mercure", new JsonObject().put("subscribe", new JsonArray().add(1))))) {
      try {
        MercureClaims.fromClaims(bad);
        throw new AssertionError("accepted " + bad);
      } catch (HubException e) {
        assertThat(e.error().status()).isEqualTo(401);
      }
    }
    assertThat(MercureClaims.fromClaims(new JsonObject().put("https://mercure.rocks/",
      new JsonObject().put("publish", new JsonArray().add("*")))).mayPublish(List.of("t"))).isTrue();
  }
}
