package io.pushhub.publish;

import io.pushhub.event.Cursor;
import io.pushhub.support.Await;
import io.pushhub.support.SseClient;
import io.pushhub.support.TestHub;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PublishTest {

  private static TestHub hub;

  @BeforeAll
  static void start() {
    hub = TestHub.start(new JsonObject().put("limits", new JsonObject().put("maxEventBytes", 1000)));
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  @Test
  void replyCarriesTheCursorOfTheStoredEvent() {
    JsonObject reply = hub.publish("pub/reply", "x");
    assertThat(reply.fieldNames()).containsExactlyInAnyOrder("id", "topic");
    assertThat(reply.getString("topic")).isEqualTo("pub/reply");
    assertThat(Cursor.parse(reply.getString("id"))).containsOnlyKeys(Cursor.tag("pub/reply"));
    JsonObject next = hub.publish("pub/reply", "y");
    long first = Cursor.parse(reply.getString("id")).values().iterator().next().position().seq();
    long second = Cursor.parse(next.getString("id")).values().iterator().next().position().seq();
    assertThat(second).isEqualTo(first + 1);
  }

  @Test
  void jsonDataIsSentAsCompactJsonAndEventTypesAsEventLines() {
    try (SseClient client = hub.subscribe("/events?topic=pub/json")) {
      hub.publish(new JsonObject().put("topic", "pub/json").put("data", new JsonObject("{\"a\": [1, 2], \"b\": {\"c\": null}}")));
      hub.publish(new JsonObject().put("topic", "pub/json").put("data", (Object) null));
      hub.publish(new JsonObject().put("topic", "pub/json").put("data", 42));
      hub.publish(new JsonObject().put("topic", "pub/json").put("data", new JsonArray().add("x")).put("event", "list"));
      hub.publish(new JsonObject().put("topic", "pub/json").put("data", "line1\nline2").put("event", "message"));
      await().until(() -> client.eventCount() == 5);
      assertThat(client.events()).extracting(f -> f.event() + "|" + f.data()).containsExactly(
        "message|{\"a\":[1,2],\"b\":{\"c\":null}}", "message|null", "message|42", "list|[\"x\"]", "message|line1\nline2");
    }
  }

  @Test
  void sameIdempotencyKeyIsDeliveredOnce() {
    try (SseClient client = hub.subscribe("/events?topic=pub/idem")) {
      JsonObject body = new JsonObject().put("topic", "pub/idem").put("data", "once").put("id", "order-17");
      JsonObject first = hub.publish(body);
      JsonObject again = hub.publish(body.copy().put("data", "changed"));
      assertThat(again.getString("id")).isEqualTo(first.getString("id"));
      assertThat(again.getBoolean("duplicate")).isTrue();
      assertThat(first.containsKey("duplicate")).isFalse();
      hub.publish("pub/idem", "next");
      await().until(() -> client.eventCount() == 2);
      assertThat(client.data()).containsExactly("once", "next");
      // The same key on another topic is another event.
      assertThat(hub.publish(body.copy().put("topic", "pub/idem2")).containsKey("duplicate")).isFalse();
    }
  }

  @Test
  void badBodiesAre400WithAJsonError() {
    String tooLongType = "t".repeat(65);
    List<String> bodies = List.of("", "not json", "[1,2]", "{\"data\": \"x\"}", "{\"topic\": \"a\"}",
      "{\"topic\": 5, \"data\": \"x\"}", "{\"topic\": \"a//b\", \"data\": \"x\"}", "{\"topic\": \"\", \"data\": \"x\"}",
      "{\"topic\": \"a\", \"data\": \"x\", \"event\": \"a\\nid: 99\"}",
      "{\"topic\": \"a\", \"data\": \"x\", \"event\": \"a\\rb\"}",
      "{\"topic\": \"a\", \"data\": \"x\", \"event\": \"two words\"}",
      "{\"topic\": \"a\", \"data\": \"x\", \"event\": \"a:b\"}",
      "{\"topic\": \"a\", \"data\": \"x\", \"event\": \"\"}",
      "{\"topic\": \"a\", \"data\": \"x\", \"event\": \"" + tooLongType + "\"}",
      "{\"topic\": \"a\", \"data\": \"x\", \"event\": 7}",
      "{\"topic\": \"a\", \"data\": \"x\", \"id\": \"k\\nevent: evil\"}",
      "{\"topic\": \"a\", \"data\": \"x\", \"id\": \"\"}",
      "{\"topic\": \"a\", \"data\": \"x\", \"id\": \"" + "k".repeat(129) + "\"}",
      "{\"topic\": \"a\\u0000b\", \"data\": \"x\"}",
      "{\"topic\": \"a\", \"data\": \"half an emoji \\ud83d\"}",
      "{\"topic\": \"a\", \"data\": {\"lone\": \"\\udc00\"}}");
    for (String body : bodies) {
      TestHub.Answer answer = hub.post("/publish", body);
      assertThat(answer.status()).as(body).isEqualTo(400);
      assertThat(answer.header("Content-Type")).isEqualTo("application/json");
      assertThat(answer.json().getString("error")).isEqualTo("bad_request");
      assertThat(answer.json().getString("message")).isNotBlank();
    }
  }

  @Test
  void wrongContentTypeIs400() {
    TestHub.Answer answer = hub.send(hub.request("/publish").header("Content-Type", "text/plain")
      .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"topic\": \"a\", \"data\": \"x\"}")));
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().getString("error")).isEqualTo("bad_request");
  }

  @Test
  void dataOverTheLimitIs413CountingUtf8Bytes() {
    assertThat(hub.post("/publish", new JsonObject().put("topic", "a").put("data", "é".repeat(500)).encode()).status())
      .isEqualTo(200);
    TestHub.Answer answer = hub.post("/publish", new JsonObject().put("topic", "a").put("data", "é".repeat(501)).encode());
    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.json().getString("error")).isEqualTo("size");
    TestHub.Answer huge = hub.post("/publish", new JsonObject().put("topic", "a").put("data", "x".repeat(200_000)).encode());
    assertThat(huge.status()).isEqualTo(413);
    assertThat(huge.json().getString("error")).isEqualTo("size");
  }

  @Test
  void developmentModePublishingGoesByTheSocketPeerNotTheHeader() {
    try (TestHub dev = TestHub.start(new JsonObject())) {
      TestHub.Answer local = dev.send(dev.request("/publish").header("Content-Type", "application/json")
        .header("X-Forwarded-For", "203.0.113.9")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"topic\": \"a\", \"data\": \"x\"}")));
      assertThat(local.status()).isEqualTo(200);
    }
  }

  @Test
  void eventBusPublishSharesThePathAndItsRefusals() {
    try (SseClient client = hub.subscribe("/events?topic=pub/bus")) {
      Message<Object> reply = Await.result(hub.vertx().eventBus()
        .request(PublishConsumer.ADDRESS, new JsonObject().put("topic", "pub/bus").put("data", "via bus")));
      JsonObject body = (JsonObject) reply.body();
      assertThat(body.getString("topic")).isEqualTo("pub/bus");
      await().until(() -> client.data().equals(List.of("via bus")));
      assertThat(client.lastEventId()).isEqualTo(body.getString("id"));
    }
    assertRefused(new JsonObject().put("topic", "a//b").put("data", "x"), 400, "bad_request");
    assertRefused(new JsonObject().put("topic", "a").put("data", "x".repeat(1001)), 413, "size");
    assertRefused("a string body", 400, "bad_request");
  }

  private static void assertRefused(Object body, int status, String code) {
    Throwable failure = Await.result(hub.vertx().eventBus().request(PublishConsumer.ADDRESS, body)
      .map(m -> (Throwable) null).recover(io.vertx.core.Future::succeededFuture));
    assertThat(failure).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) failure).failureCode()).isEqualTo(status);
    assertThat(failure.getMessage()).isEqualTo(code);
  }
}
