package io.pushhub.client;

import io.pushhub.support.Await;
import io.pushhub.support.SseClient;
import io.pushhub.support.TestHub;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 1,000 publishes through a proxy that answers 30% of attempts with 503: half refused before the
 * hub saw them, half after the hub stored them (the answer lost). Retries carry the same
 * idempotency key, so every event reaches the subscriber exactly once.
 */
class PublisherRetryStormTest {

  private static final int EVENTS = 1000;

  private record Retry(int retry, long delayMillis, int retryAfterSeconds) {
  }

  @Test
  void everyEventDeliveredExactlyOnceThroughA30PercentFailureStorm() {
    try (TestHub hub = TestHub.start(); SseClient subscriber = hub.subscribe("/events?topic=storm")) {
      FlakyProxy proxy = new FlakyProxy(hub, new Random(7), 0.30);
      PublisherOptions options = PublisherOptions.defaults().withBaseUrl("http://127.0.0.1:" + proxy.port())
        .withAttempts(12, 5_000).withBackoff(5, 200).withWindow(16, EVENTS).withBreaker(1_000_000, 1_000);
      PushhubPublisher publisher = PushhubPublisher.overHttp(hub.vertx(), options);
      List<Retry> retries = new ArrayList<>();
      publisher.onRetry((event, retry, delay, cause) -> {
        synchronized (retries) {
          retries.add(new Retry(retry, delay, cause.retryAfterSeconds()));
        }
      });

      List<Future<Published>> results = new ArrayList<>();
      for (int i = 0; i < EVENTS; i++) {
        results.add(publisher.publish("storm", Integer.toString(i)));
      }
      List<Published> published = Await.result(Future.all(results)).list();

      await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.data().size() >= EVENTS);
      Map<String, Long> received = subscriber.data().stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
      assertThat(received).hasSize(EVENTS).allSatisfy((data, times) -> assertThat(times).as(data).isEqualTo(1));
      assertThat(published.stream().map(Published::id).distinct()).hasSize(EVENTS);

      // The storm really happened, on both sides of the store, and never beyond the window.
      assertThat(proxy.refusedBefore.get()).isGreaterThan(50);
      assertThat(proxy.lostAfter.get()).isGreaterThan(50);
      assertThat(published.stream().filter(Published::duplicate).count()).isPositive();
      assertThat(proxy.maxConcurrent.get()).isLessThanOrEqualTo(16);

      // Full jitter within its ceiling; a Retry-After is a floor.
      Backoff bounds = new Backoff(5, 200, () -> 0);
      assertThat(retries).hasSizeGreaterThanOrEqualTo(proxy.refusedBefore.get() + proxy.lostAfter.get() - 1)
        .allSatisfy(r -> {
          assertThat(r.delayMillis()).isGreaterThanOrEqualTo(r.retryAfterSeconds() * 1000L);
          assertThat(r.delayMillis()).isLessThanOrEqualTo(Math.max(bounds.ceilingMillis(r.retry()),
            r.retryAfterSeconds() * 1000L));
        });
      assertThat(retries).anyMatch(r -> r.retryAfterSeconds() == 1 && r.delayMillis() >= 1000);
      Await.result(publisher.close());
      proxy.close();
    }
  }

  /** Forwards {@code POST /publish} to the hub, failing a share of attempts with 503 before or after it. */
  private static final class FlakyProxy {
    final AtomicInteger refusedBefore = new AtomicInteger();
    final AtomicInteger lostAfter = new AtomicInteger();
    final AtomicInteger maxConcurrent = new AtomicInteger();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final Map<String, Boolean> retryAfterGiven = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final WebClient client;

    FlakyProxy(TestHub hub, Random random, double failureShare) {
      client = WebClient.create(hub.vertx());
      server = hub.vertx().createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        double roll;
        synchronized (random) {
          roll = random.nextDouble();
        }
        if (roll < failureShare / 2) {
          refusedBefore.incrementAndGet();
          fail(request);
          return;
        }
        client.post(hub.port(), "127.0.0.1", "/publish").putHeader("Content-Type", "application/json")
          .sendBuffer(body).onComplete(answer -> {
            if (roll < failureShare) {
              lostAfter.incrementAndGet();
              fail(request);
            } else if (answer.succeeded()) {
              concurrent.decrementAndGet();
              request.response().setStatusCode(answer.result().statusCode())
                .putHeader("Content-Type", "application/json").end(answer.result().body());
            } else {
              concurrent.decrementAndGet();
              request.response().setStatusCode(502).end();
            }
          });
      }));
      Await.result(server.listen(0, "127.0.0.1"));
    }

    private void fail(HttpServerRequest request) {
      concurrent.decrementAndGet();
      // Only the first refusal of some events asks for a wait, so the storm stays short.
      boolean askWait = retryAfterGiven.size() < 5 && retryAfterGiven.putIfAbsent(request.toString(), true) == null;
      if (askWait) {
        request.response().putHeader("Retry-After", "1");
      }
      request.response().setStatusCode(503).putHeader("Content-Type", "application/json")
        .end("{\"error\":\"unavailable\",\"message\":\"injected\"}");
    }

    int port() {
      return server.actualPort();
    }

    void close() {
      client.close();
      Await.result(server.close());
    }
  }
}
