package io.pushhub.mercure;

import io.pushhub.event.Event;
import io.pushhub.support.MercureTokens;
import io.pushhub.support.SseClient;
import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.pushhub.mercure.MercureEndpointTest.published;
import static io.pushhub.mercure.MercureEndpointTest.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A generated id names an update by position and by a check of what it says: a subscriber that
 * saw another update at that position than the one the log keeps (shown by a node cut off from
 * the cluster) is not resumed after it, which would skip the update the log has there.
 */
class MercureResumeTest {

  private static TestHub hub;

  @BeforeAll
  static void start() {
    hub = TestHub.start(new JsonObject()
      .put("auth", new JsonObject().put("hs256Secret", MercureTokens.SECRET).put("anonymousTopics", new JsonArray()))
      .put("mercure", new JsonObject().put("anonymous", true)));
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  @Test
  void anIdWhoseCheckNamesAnotherUpdateIsUnknown() {
    published(hub, "topic", "checked/a", "data", "1");
    String second = published(hub, "topic", "checked/a", "data", "2");
    published(hub, "topic", "checked/a", "data", "3");
    MercureIds.Generated named = (MercureIds.Generated) MercureIds.parse(second);
    String other = MercureIds.generate("checked/a", named.location().position(), (named.check() + 1) % (Event.MAX_CHECK + 1));

    try (SseClient same = SseClient.open(hub.vertx(), hub.port(), query("checked/a"), Map.of("Last-Event-ID", second))) {
      await().until(() -> same.eventCount() == 1);
      assertThat(same.data()).containsExactly("3");
      assertThat(same.headers().get("Last-Event-ID")).isEqualTo(second);
    }
    try (SseClient diverged = SseClient.open(hub.vertx(), hub.port(), query("checked/a"), Map.of("Last-Event-ID", other))) {
      assertThat(diverged.status()).isEqualTo(200);
      assertThat(diverged.headers().get("Last-Event-ID")).isEqualTo("earliest");
      published(hub, "topic", "checked/a", "data", "live");
      await().until(() -> diverged.eventCount() == 1);
      assertThat(diverged.data()).containsExactly("live");
    }
  }
}
