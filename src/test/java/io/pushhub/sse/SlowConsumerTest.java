package io.pushhub.sse;

import io.pushhub.support.RawHttp;
import io.pushhub.support.SseClient;
import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SlowConsumerTest {

  private static TestHub hub;

  @BeforeAll
  static void start() {
    hub = TestHub.start(new JsonObject().put("sse", new JsonObject().put("maxQueuedBytes", 256 * 1024))
      .put("replay", new JsonObject().put("maxEvents", 10)));
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  @Test
  void aReaderThatStopsIsClosedWhileTheOthersGetEveryEvent() throws Exception {
    // Small next to the bound: the healthy reader may lag dozens of events without being taken for slow.
    String payload = "x".repeat(8 * 1024);
    try (RawHttp stalled = RawHttp.connect(hub.port(), 4096);
         SseClient healthy = hub.subscribe("/events?topic=slow/one")) {
      stalled.send("GET /events?topic=slow/one HTTP/1.1\r\nHost: localhost\r\n\r\n");
      await().until(() -> stalled.poll().contains("retry:"));
      await().until(() -> hub.hub().subscriptions() == 2);
      // The stalled socket never reads again: kernel buffers fill, then the hub's own backlog passes its bound.
      AtomicInteger published = new AtomicInteger();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1)).until(() -> {
        hub.publish("slow/one", payload);
        published.incrementAndGet();
        return hub.hub().slowConsumerCloses() >= 1;
      });
      assertThat(hub.hub().slowConsumerCloses()).isEqualTo(1);
      assertThat(healthy.ended()).isFalse();
      await().until(() -> hub.hub().subscriptions() == 1);
      // The healthy subscriber was never held back: it has every event, and the next one arrives too.
      hub.publish("slow/one", "after");
      await().atMost(Duration.ofSeconds(5)).until(() -> healthy.eventCount() == published.get() + 1);
      assertThat(healthy.data()).last().isEqualTo("after");
    }
  }
}
