package io.pushhub.sse;

import io.pushhub.support.RawHttp;
import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EventsBadInputTest {

  private static TestHub hub;

  @BeforeAll
  static void start() {
    hub = TestHub.start(new JsonObject().put("sse", new JsonObject().put("maxTopicsPerConnection", 4)));
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  @Test
  void badTopicsAre400WithAJsonError() {
    List<String> queries = List.of("", "?", "?topic=", "?topic=a//b", "?topic=/a", "?topic=a/", "?topic=a%00b",
      "?topic=a%0Ab", "?topic=a%7Fb", "?topic=a%C2%85b", "?topic=%ff", "?topic=%C3",
      "?topic=" + "x".repeat(257), "?topic=a&topic=b&topic=c&topic=d&topic=e", "?other=1");
    for (String query : queries) {
      TestHub.Answer answer = hub.get("/events" + query);
      assertThat(answer.status()).as(query).isEqualTo(400);
      assertThat(answer.header("Content-Type")).isEqualTo("application/json");
      assertThat(answer.json().getString("error")).as(query).isEqualTo("bad_request");
    }
  }

  @Test
  void malformedEscapesAre400Too() throws Exception {
    for (String query : List.of("?topic=%zz", "?topic=a%2", "?topic=%")) {
      try (RawHttp raw = RawHttp.connect(hub.port(), 0)) {
        raw.send("GET /events" + query + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        await().until(() -> raw.poll().endsWith("<EOF>"));
        assertThat(raw.received()).as(query).startsWith("HTTP/1.1 400").contains("\"error\":\"bad_request\"");
      }
    }
  }

  @Test
  void repeatedTopicsCountOnce() {
    try (var client = hub.subscribe("/events?topic=a&topic=a&topic=a&topic=a&topic=a&topic=b")) {
      assertThat(client.status()).isEqualTo(200);
    }
  }

  @Test
  void unknownRoutesAndMethodsAreJsonToo() {
    TestHub.Answer missing = hub.get("/nope");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().getString("error")).isEqualTo("not_found");
    TestHub.Answer method = hub.send(hub.request("/publish").GET());
    assertThat(method.status()).isIn(404, 405);
    assertThat(method.json().containsKey("error")).isTrue();
  }

  @Test
  void requestIdIsEchoedWhenValidAndGeneratedOtherwise() {
    TestHub.Answer given = hub.send(hub.request("/health/live").header("X-Request-Id", "abc.DEF_123-x").GET());
    assertThat(given.header("X-Request-Id")).isEqualTo("abc.DEF_123-x");
    TestHub.Answer invalid = hub.send(hub.request("/health/live").header("X-Request-Id", "bad id!").GET());
    assertThat(invalid.header("X-Request-Id")).matches("[A-Za-z0-9._-]{1,128}").isNotEqualTo("bad id!");
  }
}
