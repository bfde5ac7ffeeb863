package io.pushhub.publish;

import io.pushhub.support.Await;
import io.pushhub.StoreFactory;
import io.pushhub.support.FaultyStore;
import io.pushhub.support.SseClient;
import io.pushhub.support.TestHub;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The publish path's breaker with a replay store that fails, then hangs, then recovers. */
class BreakerTest {

  @Test
  void opensOnFailuresAnswersFastWhileOpenAndClosesOnRecovery() {
    AtomicReference<FaultyStore> store = new AtomicReference<>();
    JsonObject config = new JsonObject().put("publish", new JsonObject().put("breaker",
      new JsonObject().put("maxFailures", 3).put("timeoutMillis", 2000).put("resetMillis", 1500)));
    try (TestHub hub = TestHub.start(config, (vertx, replay, cluster, nodeId) -> {
      store.set(new FaultyStore(StoreFactory.STANDARD.create(vertx, replay, cluster, nodeId)));
      return store.get();
    }); SseClient subscriber = hub.subscribe("/events?topic=br/t")) {
      List<String> acknowledged = new ArrayList<>();
      publish(hub, "before", acknowledged);

      store.get().mode(FaultyStore.Mode.HANGING);
      for (int i = 0; i < 3; i++) {
        TestHub.Answer timedOut = hub.post("/publish", body("hang" + i));
        assertThat(timedOut.status()).isEqualTo(503);
        assertThat(timedOut.json().getString("error")).isEqualTo("unavailable");
        // Timed out with the breaker still closed: the next try may succeed, no need to wait the reset time.
        assertThat(timedOut.header("Retry-After")).isEqualTo("1");
      }
      assertThat(metric(hub, "pushhub_circuit_breaker_state")).isEqualTo(2.0);
      assertThat(hub.get("/admin/cluster").json().getJsonArray("nodes").getJsonObject(0).getString("breaker"))
        .isEqualTo("open");

      // Open: refused at once, far below the 2 s store timeout, with Retry-After.
      long start = System.nanoTime();
      TestHub.Answer fast = hub.post("/publish", body("while open"));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(fast.status()).isEqualTo(503);
      assertThat(fast.header("Retry-After")).isEqualTo("2");
      assertThat(took).isLessThan(Duration.ofMillis(500));
      Throwable busRefusal = Await.result(hub.vertx().eventBus().request(PublishConsumer.ADDRESS, new JsonObject(body("bus while open")))
        .map(m -> (Throwable) null).recover(io.vertx.core.Future::succeededFuture));
      assertThat(((ReplyException) busRefusal).failureCode()).isEqualTo(503);
      assertThat(busRefusal.getMessage()).isEqualTo("unavailable");

      // Recovered store: after the reset time one probe goes through (half-open) and closes the breaker.
      store.get().mode(FaultyStore.Mode.HEALTHY);
      await().atMost(Duration.ofSeconds(10)).until(() -> hub.post("/publish", body("probe")).status() == 200);
      acknowledged.add("probe");
      assertThat(metric(hub, "pushhub_circuit_breaker_state")).isEqualTo(0.0);
      publish(hub, "after", acknowledged);

      // Nothing acknowledged was lost, and nothing refused was delivered.
      await().until(() -> subscriber.data().containsAll(acknowledged));
      assertThat(subscriber.data()).doesNotContain("while open", "bus while open");
    }
  }

  @Test
  void consecutiveStoreFailuresOpenItToo() {
    AtomicReference<FaultyStore> store = new AtomicReference<>();
    JsonObject config = new JsonObject().put("publish", new JsonObject().put("breaker",
      new JsonObject().put("maxFailures", 2).put("resetMillis", 60_000)));
    try (TestHub hub = TestHub.start(config, (vertx, replay, cluster, nodeId) -> {
      store.set(new FaultyStore(StoreFactory.STANDARD.create(vertx, replay, cluster, nodeId)));
      return store.get();
    })) {
      store.get().mode(FaultyStore.Mode.FAILING);
      assertThat(hub.post("/publish", body("a")).status()).isEqualTo(503);
      assertThat(hub.post("/publish", body("b")).status()).isEqualTo(503);
      assertThat(metric(hub, "pushhub_circuit_breaker_state")).isEqualTo(2.0);
      store.get().mode(FaultyStore.Mode.HEALTHY);
      assertThat(hub.post("/publish", body("c")).status()).isEqualTo(503);
      // Bad requests are answered as such and never trip or reach the breaker.
      assertThat(hub.post("/publish", "{\"topic\": \"a//b\", \"data\": 1}").status()).isEqualTo(400);
    }
  }

  private static void publish(TestHub hub, String data, List<String> acknowledged) {
    hub.publish("br/t", data);
    acknowledged.add(data);
  }

  private static String body(String data) {
    return new JsonObject().put("topic", "br/t").put("data", data).encode();
  }

  private static double metric(TestHub hub, String name) {
    return Arrays.stream(hub.get("/metrics").body().split("\n")).filter(l -> l.startsWith(name + " "))
      .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(Double.NaN);
  }
}
