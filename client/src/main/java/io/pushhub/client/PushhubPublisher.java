package io.pushhub.client;

import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Publishes events to a pushhub cluster, over HTTP or, from a cluster member, over the event bus;
 * one behaviour either way: a Future per event, retries of {@code 429}/{@code 503}/no answer with
 * exponential backoff and full jitter (at least the hub's {@code Retry-After}), the same
 * idempotency key on every attempt so an event is delivered once, a bounded window of events in
 * flight, and a circuit breaker that fails publishes at once while the hub is down.
 */
public interface PushhubPublisher {

  /** Publishes with {@code POST /publish} (vertx-web-client) to {@code options.baseUrl()}. */
  static PushhubPublisher overHttp(Vertx vertx, PublisherOptions options) {
    return new RetryingPublisher(vertx, options, new HttpTransport(vertx, options));
  }

  /** Publishes with requests to {@code pushhub.publish}; {@code vertx} must be a member of the hub's cluster. */
  static PushhubPublisher overEventBus(Vertx vertx, PublisherOptions options) {
    return new RetryingPublisher(vertx, options, new EventBusTransport(vertx));
  }

  /** Completes once the hub has stored the event; fails with a {@link PublishException}. */
  Future<Published> publish(OutgoingEvent event);

  default Future<Published> publish(String topic, Object data) {
    return publish(OutgoingEvent.of(topic, data));
  }

  /** Called before each retry with the delay chosen; for metrics and logs. */
  PushhubPublisher onRetry(RetryListener listener);

  CircuitBreakerState breakerState();

  /** Fails what is still queued, then releases connections. */
  Future<Void> close();

  @FunctionalInterface
  interface RetryListener {
    /** @param retry 1 for the first retry of {@code event} */
    void retrying(OutgoingEvent event, int retry, long delayMillis, PublishException cause);
  }
}
