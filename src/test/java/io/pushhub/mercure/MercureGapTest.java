package io.pushhub.mercure;

import io.pushhub.StoreFactory;
import io.pushhub.support.FaultyStore;
import io.pushhub.support.SseClient;
import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static io.pushhub.mercure.MercureEndpointTest.publish;
import static io.pushhub.mercure.MercureEndpointTest.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A live Mercure stream that sees a gap in a topic it names exactly fills it from the store, as a
 * stream of {@code /events} does: an update that never reached the node's delivery (stored, then
 * lost on its way, and missed by the node's own refill) still reaches the stream, in its place.
 */
class MercureGapTest {

  @Test
  void anUpdateMissingFromLiveDeliveryArrivesThroughTheRefill() {
    AtomicReference<FaultyStore> store = new AtomicReference<>();
    StoreFactory stores = (vertx, replay, cluster, nodeId) -> {
      store.set(new FaultyStore(StoreFactory.STANDARD.create(vertx, replay, cluster, nodeId)));
      return store.get();
    };
    // Development mode: anyone subscribes, loopback publishes.
    try (TestHub hub = TestHub.start(new JsonObject(), stores);
         SseClient mercure = hub.subscribe(query("gap/t"));
         SseClient events = hub.subscribe("/events?topic=gap/t")) {
      await().until(() -> hub.hub().openStreams() == 2);
      assertThat(publish(hub, null, "topic", "gap/t", "data", "one").status()).isEqualTo(200);
      await().until(() -> mercure.eventCount() == 1 && events.eventCount() >= 1);

      store.get().loseOnItsWay("two");
      assertThat(publish(hub, null, "topic", "gap/t", "data", "two").status()).isNotEqualTo(200);
      assertThat(publish(hub, null, "topic", "gap/t", "data", "three").status()).isEqualTo(200);

      await().atMost(Duration.ofSeconds(10)).until(() -> mercure.eventCount() == 3);
      assertThat(mercure.data()).containsExactly("one", "two", "three");
      await().atMost(Duration.ofSeconds(10)).until(() -> events.data().contains("three"));
      assertThat(events.data()).containsSubsequence("one", "two", "three");
    }
  }
}
