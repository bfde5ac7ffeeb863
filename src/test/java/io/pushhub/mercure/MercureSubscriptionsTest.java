package io.pushhub.mercure;

import io.pushhub.support.MercureTokens;
import io.pushhub.support.SseClient;
import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Active subscriptions on one node, over real sockets: subscription events, the subscriptions API and its rights. */
class MercureSubscriptionsTest {

  static final String API = "/.well-known/mercure/subscriptions";
  static final String EVENTS = API + "/{topic}/{subscriber}";
  /** May read every form of the API and receive subscription events. */
  static final String WATCHER = MercureTokens.token(List.of(), List.of(API, API + "/{topic}", EVENTS));
  private static TestHub hub;

  @BeforeAll
  static void start() {
    hub = TestHub.start(new JsonObject().put("auth", new JsonObject().put("hs256Secret", MercureTokens.SECRET))
      .put("mercure", new JsonObject().put("subscriptions", true)));
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  static String token(List<String> subscribe, Object payload) {
    return MercureTokens.sign(new JsonObject().put("exp", System.currentTimeMillis() / 1000 + 3600)
      .put("mercure", new JsonObject().put("subscribe", new JsonArray(subscribe)).put("payload", payload)));
  }

  static String query(String... selectors) {
    return MercureEndpointTest.query(selectors);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static SseClient subscribe(String token, String uri) {
    return SseClient.open(hub.vertx(), hub.port(), uri, Map.of("Authorization", "Bearer " + token));
  }

  private static TestHub.Answer api(String token, String path) {
    return hub.send(token == null ? hub.request(path).GET() : hub.request(path).header("Authorization", "Bearer " + token).GET());
  }

  /** The subscription events {@code stream} received about {@code topic}, as JSON. */
  static List<JsonObject> about(SseClient stream, String topic) {
    return stream.events().stream().map(e -> new JsonObject(e.data())).filter(j -> topic.equals(j.getString("topic"))).toList();
  }

  @Test
  void connectAndDisconnectArePublishedToAllowedSubscribersOnly() {
    String topic = "https://example.com/books/{id}";
    try (SseClient watcher = subscribe(WATCHER, query(EVENTS));
         SseClient outsider = subscribe(token(List.of("https://example.com/other"), null), query(EVENTS, "marker"))) {
      SseClient target = subscribe(token(List.of(), new JsonObject().put("user", 7)), query(topic));
      await().until(() -> about(watcher, topic).size() == 1);
      target.close();
      await().until(() -> about(watcher, topic).size() == 2);
      MercureEndpointTest.published(hub, "topic", "marker", "data", "after");
      await().until(() -> outsider.data().contains("after"));

      JsonObject connected = about(watcher, topic).get(0);
      String subscriber = connected.getString("subscriber");
      assertThat(subscriber).startsWith("urn:uuid:");
      String id = API + "/https%3A%2F%2Fexample.com%2Fbooks%2F%7Bid%7D/" + subscriber.replace(":", "%3A");
      assertThat(connected).isEqualTo(new JsonObject().put("@context", "https://mercure.rocks/").put("id", id)
        .put("type", "Subscription").put("topic", topic).put("subscriber", subscriber).put("active", true)
        .put("payload", new JsonObject().put("user", 7)));
      assertThat(about(watcher, topic).get(1).copy().put("active", true)).isEqualTo(connected);
      assertThat(about(watcher, topic).get(1).getBoolean("active")).isFalse();
      assertThat(outsider.data()).containsExactly("after");
    }
  }

  @Test
  void theApiListsActiveSubscriptionsInItsThreeForms() {
    String books = "https://example.com/api/books/{id}";
    String users = "https://example.com/api/users/1";
    String subscriber;
    try (SseClient watcher = subscribe(WATCHER, query(EVENTS));
         SseClient target = subscribe(token(List.of(), "p"), query(books, users))) {
      // Both creations stored: the lastEventID read below comes after them.
      await().until(() -> about(watcher, books).size() == 1 && about(watcher, users).size() == 1);
      assertThat(byTopic(books)).hasSize(1);
      JsonObject collection = api(WATCHER, API).json();
      assertThat(collection.getString("@context")).isEqualTo("https://mercure.rocks/");
      assertThat(collection.getString("id")).isEqualTo(API);
      assertThat(collection.getString("type")).isEqualTo("Subscriptions");
      assertThat(collection.getString("lastEventID")).startsWith("urn:pushhub:");
      List<JsonObject> mine = collection.getJsonArray("subscriptions").stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("topic").equals(books) || s.getString("topic").equals(users)).toList();
      assertThat(mine).hasSize(2).allMatch(s -> s.getBoolean("active") && "p".equals(s.getValue("payload")));
      subscriber = mine.get(0).getString("subscriber");
      assertThat(mine.get(1).getString("subscriber")).isEqualTo(subscriber);

      TestHub.Answer forTopic = api(WATCHER, API + "/" + enc(users));
      assertThat(forTopic.status()).isEqualTo(200);
      assertThat(forTopic.header("Content-Type")).isEqualTo("application/ld+json");
      assertThat(forTopic.json().getString("id")).isEqualTo(API + "/" + enc(users));
      assertThat(forTopic.json().getJsonArray("subscriptions")).hasSize(1);
      assertThat(forTopic.json().getJsonArray("subscriptions").getJsonObject(0).getString("subscriber")).isEqualTo(subscriber);

      String one = API + "/" + MercureIds.percentEncode(books) + "/" + MercureIds.percentEncode(subscriber);
      TestHub.Answer single = api(WATCHER, one);
      assertThat(single.status()).isEqualTo(200);
      assertThat(single.header("Content-Type")).isEqualTo("application/ld+json");
      assertThat(single.json().getString("id")).isEqualTo(one);
      assertThat(single.json().getString("@context")).isEqualTo("https://mercure.rocks/");
      assertThat(single.json().getString("topic")).isEqualTo(books);
      assertThat(single.json().getBoolean("active")).isTrue();
      assertThat(single.json().getString("lastEventID")).startsWith("urn:pushhub:");

      String before = single.json().getString("lastEventID");
      target.close();
      await().until(() -> api(WATCHER, one).status() == 404);
      assertThat(byTopic(books)).isEmpty();
      // Both ends stored before the stream below starts: only its replay can bring them.
      await().until(() -> about(watcher, books).size() == 2 && about(watcher, users).size() == 2);
      // Subscribing from the API's lastEventID replays what changed since: the two ends.
      try (SseClient resumed = SseClient.open(hub.vertx(), hub.port(), query(EVENTS) + "&lastEventID=" + enc(before),
             Map.of("Authorization", "Bearer " + WATCHER))) {
        assertThat(resumed.headers().get("Last-Event-ID")).isEqualTo(before);
        await().until(() -> about(resumed, books).size() == 1 && about(resumed, users).size() == 1);
        assertThat(about(resumed, books).get(0).getBoolean("active")).isFalse();
        assertThat(about(resumed, books).get(0).getString("subscriber")).isEqualTo(subscriber);
      }
    }
  }

  private static List<JsonObject> byTopic(String topic) {
    TestHub.Answer answer = api(WATCHER, API + "/" + enc(topic));
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer.json().getJsonArray("subscriptions").stream().map(JsonObject.class::cast).toList();
  }

  @Test
  void theApiNeedsATokenWhoseSubscribeSelectorsMatchItsPath() {
    assertThat(api(null, API).status()).isEqualTo(401);
    assertThat(api("not.a.token", API).status()).isEqualTo(401);
    String onlySingles = MercureTokens.token(List.of(), List.of(EVENTS));
    assertThat(api(onlySingles, API).status()).isEqualTo(403);
    assertThat(api(onlySingles, API + "/" + enc("https://example.com/x")).status()).isEqualTo(403);
    assertThat(api(onlySingles, API + "/a/b").status()).isEqualTo(404);
    assertThat(api(MercureTokens.token(List.of(), List.of("*")), API).status()).isEqualTo(200);
    assertThat(api(WATCHER, API + "/a/b/c").status()).isEqualTo(404);
  }
}
