package io.pushhub.client;

import io.pushhub.StoreFactory;
import io.pushhub.support.Await;
import io.pushhub.support.FaultyStore;
import io.pushhub.support.SseClient;
import io.pushhub.support.TestHub;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The event-bus publisher against a hub in the same Vert.x: refusals, retries, and its own breaker. */
class EventBusPublisherTest {

  @Test
  void publishesAndDoesNotRetryWhatCannotSucceed() {
    try (TestHub hub = TestHub.start(new JsonObject().put("limits", new JsonObject().put("maxEventBytes", 16)));
         SseClient subscriber = hub.subscribe("/events?topic=eb/a")) {
      PushhubPublisher publisher = PushhubPublisher.overEventBus(hub.vertx(), PublisherOptions.defaults());
      AtomicInteger retries = new AtomicInteger();
      publisher.onRetry((event, retry, delay, cause) -> retries.incrementAndGet());

      Published first = Await.result(publisher.publish(OutgoingEvent.of("eb/a", "hello").withId("k-1")));
      Published again = Await.result(publisher.publish(OutgoingEvent.of("eb/a", "hello").withId("k-1")));
      assertThat(again.duplicate()).isTrue();
      assertThat(again.id()).isEqualTo(first.id());
      await().until(() -> subscriber.data().equals(java.util.List.of("hello")));

      PublishException tooBig = failure(publisher.publish("eb/a", "x".repeat(17)));
      assertThat(tooBig.status()).isEqualTo(413);
      assertThat(tooBig.code()).isEqualTo("size");
      PublishException badTopic = failure(publisher.publish("eb//a", "x"));
      assertThat(badTopic.status()).isEqualTo(400);
      assertThat(retries).hasValue(0);
      Await.result(publisher.close());
    }
  }

  @Test
  void breakerOpensWhileTheHubIsDownThenAProbeClosesIt() {
    AtomicReference<FaultyStore> store = new AtomicReference<>();
    JsonObject config = new JsonObject().put("publish", new JsonObject().put("breaker",
      new JsonObject().put("maxFailures", 1000).put("timeoutMillis", 300)));
    try (TestHub hub = TestHub.start(config, (vertx, replay, cluster, nodeId) -> {
      store.set(new FaultyStore(StoreFactory.STANDARD.create(vertx, replay, cluster, nodeId)));
      return store.get();
    })) {
      PushhubPublisher publisher = PushhubPublisher.overEventBus(hub.vertx(), PublisherOptions.defaults()
        .withAttempts(2, 1000).withBackoff(5, 20).withBreaker(4, 800));
      store.get().mode(FaultyStore.Mode.FAILING);
      for (int i = 0; i < 2; i++) {
        assertThat(failure(publisher.publish("eb/down", i)).status()).isEqualTo(503);
      }
      assertThat(publisher.breakerState()).isEqualTo(CircuitBreakerState.OPEN);

      long start = System.nanoTime();
      PublishException fast = failure(publisher.publish("eb/down", "while open"));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(200));
      assertThat(fast.getMessage()).contains("circuit breaker is open");
      assertThat(fast.retryable()).isTrue();

      store.get().mode(FaultyStore.Mode.HEALTHY);
      await().atMost(Duration.ofSeconds(10)).until(() -> publisher.publish("eb/down", "probe")
        .map(p -> true).otherwise(false).toCompletionStage().toCompletableFuture().get());
      assertThat(publisher.breakerState()).isEqualTo(CircuitBreakerState.CLOSED);
      Await.result(publisher.close());
    }
  }

  private static PublishException failure(Future<Published> publish) {
    Throwable cause = Await.result(publish.map(p -> (Throwable) null).otherwise(e -> e));
    assertThat(cause).isInstanceOf(PublishException.class);
    return (PublishException) cause;
  }
}
