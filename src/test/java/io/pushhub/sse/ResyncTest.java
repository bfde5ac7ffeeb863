package io.pushhub.sse;

import io.pushhub.client.SseEvent;
import io.pushhub.client.SseDecoder;
import io.pushhub.event.Cursor;
import io.pushhub.event.Event;
import io.pushhub.event.Position;
import io.pushhub.support.SseClient;
import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ResyncTest {

  private static TestHub hub;

  @BeforeAll
  static void start() {
    hub = TestHub.start(new JsonObject().put("replay", new JsonObject().put("maxEvents", 5)));
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  @Test
  void evictedEventsGiveResyncThenWhatIsLeft() {
    String cursor = hub.publish("resync/evicted", "seen").getString("id");
    IntStream.range(0, 10).forEach(i -> hub.publish("resync/evicted", "e" + i));
    try (SseClient client = hub.subscribe("/events?topic=resync/evicted", cursor)) {
      await().until(() -> client.eventCount() == 6);
      SseEvent resync = client.events().get(0);
      assertThat(resync.event()).isEqualTo("resync");
      assertThat(new JsonObject(resync.data()))
        .isEqualTo(new JsonObject().put("topics", List.of("resync/evicted")).put("reason", "evicted"));
      assertThat(client.data()).containsExactly("e5", "e6", "e7", "e8", "e9");
    }
  }

  @Test
  void unparseableCursorIsResyncNeverAnError() {
    hub.publish("resync/garbage", "kept");
    for (String bad : new String[]{"not-a-cursor", "1.2", "zz.zz.zz.zz.zz", "%%%"}) {
      try (SseClient client = hub.subscribe("/events?topic=resync/garbage", bad)) {
        assertThat(client.status()).isEqualTo(200);
        await().until(() -> client.eventCount() == 2);
        assertThat(client.events().get(0).event()).isEqualTo("resync");
        assertThat(new JsonObject(client.events().get(0).data()).getString("reason")).isEqualTo("unknown-cursor");
        assertThat(client.data()).containsExactly("kept");
      }
    }
  }

  @Test
  void cursorOfAnotherEpochIsUnknown() {
    hub.publish("resync/epoch", "current");
    String foreign = io.pushhub.event.Cursor.of("resync/epoch", new io.pushhub.event.Position(77, 3),
      io.pushhub.event.Cursor.NO_CHECK);
    try (SseClient client = hub.subscribe("/events?topic=resync/epoch", foreign)) {
      await().until(() -> client.eventCount() == 2);
      assertThat(new JsonObject(client.events().get(0).data()).getString("reason")).isEqualTo("unknown-cursor");
      assertThat(client.data()).containsExactly("current");
    }
  }

  /**
   * A cursor whose position holds another event than the one its check names: the client saw an
   * event the log does not have (a node cut off from the cluster may show one). It must not resume
   * after that position, silently skipping the event the log has there.
   */
  @Test
  void cursorNamingAnotherEventAtItsPositionIsUnknown() {
    hub.publish("resync/diverged", "one");
    String two = hub.publish("resync/diverged", "two").getString("id");
    hub.publish("resync/diverged", "three");
    Cursor.Entry seen = Cursor.parse(two).values().iterator().next();
    String other = Cursor.of("resync/diverged", seen.position(), (seen.check() + 1) % (Event.MAX_CHECK + 1));
    try (SseClient client = hub.subscribe("/events?topic=resync/diverged", other)) {
      await().until(() -> client.eventCount() == 4);
      assertThat(new JsonObject(client.events().get(0).data()).getString("reason")).isEqualTo("unknown-cursor");
      assertThat(client.data()).containsExactly("one", "two", "three");
    }
    try (SseClient client = hub.subscribe("/events?topic=resync/diverged", two)) {
      await().until(() -> client.eventCount() == 1);
      assertThat(client.data()).containsExactly("three");
    }
  }

  /** A cursor with a check at a position the log never reached: the client saw an event the log does not have. */
  @Test
  void checkedCursorPastTheLogIsUnknown() {
    String only = hub.publish("resync/short", "only").getString("id");
    Cursor.Entry seen = Cursor.parse(only).values().iterator().next();
    String ahead = Cursor.of("resync/short", new Position(seen.position().epoch(), 2), seen.check());
    try (SseClient client = hub.subscribe("/events?topic=resync/short", ahead)) {
      await().until(() -> client.eventCount() == 2);
      assertThat(new JsonObject(client.events().get(0).data()).getString("reason")).isEqualTo("unknown-cursor");
      assertThat(client.data()).containsExactly("only");
    }
  }
}
