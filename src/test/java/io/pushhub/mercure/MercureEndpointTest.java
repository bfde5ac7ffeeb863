package io.pushhub.mercure;

import io.pushhub.client.SseEvent;
import io.pushhub.support.MercureTokens;
import io.pushhub.support.RawHttp;
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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Mercure endpoint of one node, over real sockets: matching, alternates, private updates, rights, tokens, crossing. */
class MercureEndpointTest {

  static final String PATH = "/.well-known/mercure";
  private static final String PUBLISHER = MercureTokens.token(List.of("*"), List.of());
  private static TestHub hub;

  @BeforeAll
  static void start() {
    hub = TestHub.start(new JsonObject()
      .put("auth", new JsonObject().put("hs256Secret", MercureTokens.SECRET).put("anonymousTopics", new JsonArray().add("open/**")))
      .put("mercure", new JsonObject().put("anonymous", true)));
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  static String query(String... selectors) {
    StringBuilder q = new StringBuilder(PATH + "?");
    for (String s : selectors) {
      q.append("topic=").append(URLEncoder.encode(s, StandardCharsets.UTF_8)).append('&');
    }
    return q.substring(0, q.length() - 1);
  }

  /** Posts a form; each pair is a field name and its value. */
  static TestHub.Answer publish(TestHub node, String token, String... fields) {
    StringBuilder form = new StringBuilder();
    for (int i = 0; i < fields.length; i += 2) {
      form.append(form.isEmpty() ? "" : "&").append(fields[i]).append('=')
        .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
    }
    HttpRequest.Builder request = node.request(PATH).header("Content-Type", "application/x-www-form-urlencoded")
      .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return node.send(request);
  }

  static String published(TestHub node, String... fields) {
    TestHub.Answer answer = publish(node, PUBLISHER, fields);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.header("Content-Type")).startsWith("text/plain");
    return answer.body();
  }

  /** Publishes on pushhub's own {@code POST /publish}; the event's cursor. */
  static String pushhubPublish(String topic, String data) {
    String token = MercureTokens.sign(new JsonObject().put("exp", System.currentTimeMillis() / 1000 + 3600)
      .put("pushhub", new JsonObject().put("publish", new JsonArray().add("open/**"))));
    TestHub.Answer answer = hub.send(hub.request("/publish").header("Content-Type", "application/json")
      .header("Authorization", "Bearer " + token)
      .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("topic", topic).put("data", data).encode())));
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer.json().getString("id");
  }

  @Test
  void activeSubscriptionsAreNotServedWhenOff() {
    assertThat(hub.get(PATH + "/subscriptions").status()).isEqualTo(404);
  }

  @Test
  void templatesAndStarMatchWhatTheyShould() {
    try (SseClient books = hub.subscribe(query("https://example.com/books/{id}"));
         SseClient all = hub.subscribe(query("*"))) {
      String book = published(hub, "topic", "https://example.com/books/1", "data", "book");
      published(hub, "topic", "https://example.com/books/1/reviews", "data", "review");
      published(hub, "topic", "https://example.com/users/1", "data", "user");
      published(hub, "topic", "https://example.com/books/2", "data", "book 2");
      await().until(() -> all.eventCount() >= 4 && books.eventCount() >= 2);
      assertThat(books.data()).containsExactly("book", "book 2");
      assertThat(all.data()).containsSubsequence("book", "review", "user", "book 2");
      assertThat(book).startsWith("urn:pushhub:");
      assertThat(books.events().get(0).id()).isEqualTo(book);
    }
  }

  @Test
  void manySubscribersWithATemplateEachGetEveryUpdateTheirsMatch() {
    List<SseClient> streams = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 40; i++) {
        streams.add(hub.subscribe(query("many/{x" + i + "}", "many/" + i + "/{y}/none")));
      }
      for (int i = 0; i < 10; i++) {
        published(hub, "topic", "many/" + i, "data", "u" + i);
      }
      published(hub, "topic", "many/3/x/none", "data", "for 3");
      await().until(() -> streams.stream().allMatch(s -> s.eventCount() >= 10) && streams.get(3).eventCount() == 11);
      for (int i = 0; i < streams.size(); i++) {
        List<String> expected = new java.util.ArrayList<>(List.of("u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9"));
        if (i == 3) {
          expected.add("for 3");
        }
        assertThat(streams.get(i).data()).as("stream " + i).isEqualTo(expected);
      }
    } finally {
      streams.forEach(SseClient::close);
    }
  }

  @Test
  void anUpdateReachingASubscriberByManyRoutesIsWrittenOnce() {
    try (SseClient stream = hub.subscribe(query("alt/a", "alt/b", "alt/{x}", "*"))) {
      published(hub, "topic", "alt/a", "topic", "alt/b", "topic", "alt/c", "data", "once", "id", "alt-once");
      published(hub, "topic", "alt/z", "data", "marker");
      await().until(() -> stream.data().contains("marker"));
      assertThat(stream.data()).containsExactly("once", "marker");
      assertThat(stream.events().get(0).id()).isEqualTo("alt-once");
    }
  }

  @Test
  void anAlternateTopicRoutesTheUpdateToItsExactSubscribers() {
    try (SseClient stream = hub.subscribe(query("https://example.com/users/7"))) {
      published(hub, "topic", "https://example.com/books/7", "topic", "https://example.com/users/7", "data", "for user 7");
      await().until(() -> stream.eventCount() == 1);
      assertThat(stream.data()).containsExactly("for user 7");
    }
  }

  @Test
  void privateUpdatesReachOnlySubscribersAllowedToSeeOneOfTheirTopics() {
    String allowed = MercureTokens.token(List.of(), List.of("https://example.com/users/42/{?topic}"));
    String other = MercureTokens.token(List.of(), List.of("https://example.com/users/43/{?topic}"));
    String topic = "https://example.com/books/42";
    try (SseClient withRight = SseClient.open(hub.vertx(), hub.port(), query(topic), Map.of("Authorization", "Bearer " + allowed));
         SseClient withoutRight = SseClient.open(hub.vertx(), hub.port(), query(topic), Map.of("Authorization", "Bearer " + other));
         SseClient anonymous = hub.subscribe(query(topic))) {
      published(hub, "topic", topic, "topic", "https://example.com/users/42/?topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8), "data", "secret", "private", "");
      published(hub, "topic", topic, "data", "public");
      await().until(() -> withRight.eventCount() == 2 && withoutRight.eventCount() == 1 && anonymous.eventCount() == 1);
      assertThat(withRight.data()).containsExactly("secret", "public");
      assertThat(withoutRight.data()).containsExactly("public");
      assertThat(anonymous.data()).containsExactly("public");
    }
  }

  @Test
  void privateUpdatesNeverReachAnonymousStreamsOfEvents() {
    String token = MercureTokens.sign(new JsonObject().put("exp", System.currentTimeMillis() / 1000 + 3600)
      .put("pushhub", new JsonObject().put("subscribe", new JsonArray().add("open/**"))));
    String before = pushhubPublish("open/p", "before");
    try (SseClient anonymous = hub.subscribe("/events?topic=open/p");
         SseClient withToken = SseClient.open(hub.vertx(), hub.port(), "/events?topic=open/p", Map.of("Authorization", "Bearer " + token))) {
      published(hub, "topic", "open/p", "data", "secret", "private", "on");
      published(hub, "topic", "open/p", "data", "public");
      await().until(() -> anonymous.data().contains("public") && withToken.data().contains("public"));
      assertThat(anonymous.data()).containsExactly("public");
      assertThat(withToken.data()).containsExactly("secret", "public");
    }
    // Replayed, it is passed over too.
    try (SseClient resumed = hub.subscribe("/events?topic=open/p", before)) {
      await().until(() -> resumed.eventCount() == 1);
      assertThat(resumed.data()).containsExactly("public");
    }
  }

  @Test
  void publishRightsThatMissATopicAre403AndNothingIsDispatched() {
    String limited = MercureTokens.token(List.of("https://example.com/books/{id}"), List.of());
    try (SseClient stream = hub.subscribe(query("*"))) {
      TestHub.Answer refused = publish(hub, limited, "topic", "https://example.com/books/1", "topic", "https://example.com/users/1",
        "data", "refused");
      assertThat(refused.status()).isEqualTo(403);
      assertThat(publish(hub, null, "topic", "https://example.com/books/1", "data", "no token").status()).isEqualTo(401);
      assertThat(publish(hub, "not.a.token", "topic", "https://example.com/books/1", "data", "bad token").status()).isEqualTo(401);
      assertThat(publish(hub, PUBLISHER, "data", "no topic").status()).isEqualTo(400);
      assertThat(publish(hub, limited, "topic", "https://example.com/books/9", "data", "allowed").status()).isEqualTo(200);
      await().until(() -> stream.data().contains("allowed"));
      assertThat(stream.data()).containsExactly("allowed");
    }
  }

  @Test
  void cookieAndQueryTokensAreRead() {
    String subscriber = MercureTokens.token(List.of(), List.of("tokens/{x}"));
    try (SseClient byCookie = SseClient.open(hub.vertx(), hub.port(), query("tokens/a"),
           Map.of("Cookie", "mercureAuthorization=" + subscriber));
         SseClient byQuery = hub.subscribe(query("tokens/a") + "&authorization=" + subscriber)) {
      published(hub, "topic", "tokens/a", "data", "private", "private", "on");
      await().until(() -> byCookie.eventCount() == 1 && byQuery.eventCount() == 1);
    }
    try (SseClient badCookie = SseClient.open(hub.vertx(), hub.port(), query("tokens/a"), Map.of("Cookie", "mercureAuthorization=x.y.z"))) {
      assertThat(badCookie.status()).isEqualTo(401);
    }
  }

  @Test
  void pushhubPublishesReachMercureSubscribersAndMercureUpdatesReachEvents() {
    try (SseClient mercure = hub.subscribe(query("open/{x}"));
         SseClient events = hub.subscribe("/events?topic=open/cross")) {
      String cursor = pushhubPublish("open/cross", "from /publish");
      published(hub, "topic", "open/cross", "data", "from mercure", "id", "cross-1");
      await().until(() -> mercure.eventCount() == 2 && events.eventCount() == 2);
      assertThat(mercure.data()).containsExactly("from /publish", "from mercure");
      assertThat(mercure.events().get(0).id()).startsWith("urn:pushhub:");
      assertThat(mercure.events().get(1).id()).isEqualTo("cross-1");
      assertThat(events.data()).containsExactly("from /publish", "from mercure");
      assertThat(events.events().get(0).id()).isEqualTo(cursor);
    }
  }

  @Test
  void framesCarryTypeRetryIdAndEachLineOfData() throws Exception {
    try (RawHttp raw = RawHttp.connect("127.0.0.1", hub.port())) {
      raw.send("GET " + query("frames/raw") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      await().until(() -> raw.poll().contains("retry:"));
      published(hub, "topic", "frames/raw", "data", "one\r\ntwo\nthree", "type", "some type", "retry", "5000", "id", "raw-1");
      await().until(() -> raw.poll().contains("three"));
      assertThat(raw.received()).contains("event: some type\nretry: 5000\nid: raw-1\ndata: one\ndata: two\ndata: three\n\n");
    }
  }

  @Test
  void resumesAfterAPublisherIdOrAGeneratedIdAndFromEarliest() {
    String first = published(hub, "topic", "resume/a", "data", "1", "id", "resume-1");
    published(hub, "topic", "resume/b", "data", "b");
    String second = published(hub, "topic", "resume/a", "data", "2");
    published(hub, "topic", "resume/a", "data", "3", "id", "resume-3");

    try (SseClient byPublisherId = SseClient.open(hub.vertx(), hub.port(), query("resume/a"), Map.of("Last-Event-ID", first))) {
      await().until(() -> byPublisherId.eventCount() == 2);
      assertThat(byPublisherId.data()).containsExactly("2", "3");
      assertThat(byPublisherId.headers().get("Last-Event-ID")).isEqualTo(first);
    }
    try (SseClient byGenerated = hub.subscribe(query("resume/{x}") + "&lastEventID=" + URLEncoder.encode(second, StandardCharsets.UTF_8))) {
      await().until(() -> byGenerated.eventCount() == 1);
      assertThat(byGenerated.events()).extracting(SseEvent::id).containsExactly("resume-3");
      assertThat(byGenerated.headers().get("Last-Event-ID")).isEqualTo(second);
    }
    try (SseClient earliest = hub.subscribe(query("resume/a", "resume/b") + "&lastEventID=earliest")) {
      await().until(() -> earliest.eventCount() == 4);
      assertThat(earliest.data()).containsExactlyInAnyOrder("1", "2", "3", "b");
      assertThat(earliest.headers().get("Last-Event-ID")).isEqualTo("earliest");
    }
    try (SseClient unknown = SseClient.open(hub.vertx(), hub.port(), query("resume/a"), Map.of("Last-Event-ID", "never-published"))) {
      published(hub, "topic", "resume/a", "data", "live");
      await().until(() -> unknown.eventCount() == 1);
      assertThat(unknown.data()).containsExactly("live");
      assertThat(unknown.headers().get("Last-Event-ID")).isEqualTo("earliest");
    }
  }
}
