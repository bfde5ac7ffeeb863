package io.pushhub.limits;

import io.pushhub.support.SseClient;
import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Each limit of SPEC §8 tripped over real HTTP, with its status and Retry-After, then recovered. */
class LimitsTest {

  private static JsonObject limits(JsonObject values) {
    return new JsonObject().put("limits", values);
  }

  @Test
  void streamsPerClientAndPerNode() {
    try (TestHub hub = TestHub.start(limits(new JsonObject().put("maxConnectionsPerClient", 2).put("maxConnections", 3)
      .put("connectsPerSecondPerClient", 1000)))) {
      List<SseClient> open = new ArrayList<>();
      open.add(hub.subscribe("/events?topic=l/a"));
      open.add(hub.subscribe("/events?topic=l/a"));
      SseClient third = hub.subscribe("/events?topic=l/a");
      assertThat(third.status()).isEqualTo(429);
      assertThat(third.headers().get("Retry-After")).isNotNull();
      assertThat(new JsonObject(third.errorBody()).getString("error")).isEqualTo("rate");
      third.close();

      open.remove(0).close();
      await().until(() -> hub.hub().openStreams() == 1);
      SseClient again = hub.subscribe("/events?topic=l/a");
      assertThat(again.status()).isEqualTo(200);
      open.add(again);
      open.forEach(SseClient::close);
    }
  }

  @Test
  void streamsPerNode() {
    try (TestHub hub = TestHub.start(limits(new JsonObject().put("maxConnections", 2).put("maxConnectionsPerClient", 100)
      .put("connectsPerSecondPerClient", 1000)))) {
      SseClient a = hub.subscribe("/events?topic=l/n");
      SseClient b = hub.subscribe("/events?topic=l/n");
      SseClient c = hub.subscribe("/events?topic=l/n");
      assertThat(c.status()).isEqualTo(503);
      assertThat(new JsonObject(c.errorBody()).getString("error")).isEqualTo("capacity");
      assertThat(c.headers().get("Retry-After")).isEqualTo("1");
      a.close();
      await().until(() -> hub.hub().openStreams() == 1);
      SseClient d = hub.subscribe("/events?topic=l/n");
      assertThat(d.status()).isEqualTo(200);
      b.close();
      c.close();
      d.close();
    }
  }

  @Test
  void newStreamsPerSecondRefill() {
    try (TestHub hub = TestHub.start(limits(new JsonObject().put("connectsPerSecondPerClient", 2)))) {
      hub.subscribe("/events?topic=l/r").close();
      hub.subscribe("/events?topic=l/r").close();
      SseClient refused = hub.subscribe("/events?topic=l/r");
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.headers().get("Retry-After")).isEqualTo("1");
      refused.close();
      await().atMost(Duration.ofSeconds(5)).until(() -> {
        try (SseClient retry = hub.subscribe("/events?topic=l/r")) {
          return retry.status() == 200;
        }
      });
    }
  }

  @Test
  void publishesPerSecondPerClientRefill() {
    try (TestHub hub = TestHub.start(limits(new JsonObject().put("publishesPerSecond", 3)))) {
      String body = "{\"topic\": \"l/p\", \"data\": 1}";
      int ok = 0;
      TestHub.Answer last = null;
      for (int i = 0; i < 4; i++) {
        last = hub.post("/publish", body);
        ok += last.status() == 200 ? 1 : 0;
      }
      assertThat(ok).isEqualTo(3);
      assertThat(last.status()).isEqualTo(429);
      assertThat(last.json().getString("error")).isEqualTo("rate");
      assertThat(last.header("Retry-After")).isEqualTo("1");
      await().atMost(Duration.ofSeconds(5)).until(() -> hub.post("/publish", body).status() == 200);
    }
  }
}
