package io.pushhub.client;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The behaviour both publishers share, over a {@link Transport}. All state lives on one Vert.x
 * context, so {@link #publish} may be called from any thread.
 */
final class RetryingPublisher implements PushhubPublisher {

  /** One attempt at one event. */
  interface Transport {
    Future<Published> send(JsonObject event, long timeoutMillis);

    Future<Void> close();
  }

  private record Pending(OutgoingEvent event, JsonObject json, Promise<Published> result) {
  }

  private final Vertx vertx;
  private final Context context;
  private final PublisherOptions options;
  private final Transport transport;
  private final Backoff backoff;
  private final CircuitBreaker breaker;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private volatile RetryListener listener = (event, retry, delay, cause) -> { };
  private int inFlight;
  private boolean closed;

  RetryingPublisher(Vertx vertx, PublisherOptions options, Transport transport) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.options = options;
    this.transport = transport;
    this.backoff = new Backoff(options.backoffBaseMillis(), options.backoffCapMillis(),
      () -> ThreadLocalRandom.current().nextDouble());
    this.breaker = CircuitBreaker.create("pushhub-publisher", vertx, new CircuitBreakerOptions()
      .setMaxFailures(options.breakerMaxFailures())
      .setResetTimeout(options.breakerResetMillis())
      .setTimeout(-1) // the transport times each attempt out itself
      .setNotificationAddress(null));
    // Only a hub that does not answer or says it is unavailable trips the breaker; a 4xx is the event's fault.
    this.breaker.failurePolicy(outcome -> outcome.failed() && outcome.cause() instanceof PublishException e
      && (e.status() == PublishException.NO_ANSWER || e.status() == 503));
  }

  @Override
  public Future<Published> publish(OutgoingEvent event) {
    Promise<Published> result = Promise.promise();
    Pending pending = new Pending(event, event.toJson(), result);
    context.runOnContext(v -> {
      if (closed) {
        result.fail(new PublishException(PublishException.NO_ANSWER, "closed", "publisher closed", 0));
      } else if (inFlight < options.maxInFlight()) {
        start(pending);
      } else if (queue.size() < options.maxQueued()) {
        queue.add(pending);
      } else {
        result.fail(new PublishException(429, "rate", "publisher queue full (" + options.maxQueued() + ")", 1));
      }
    });
    return result.future();
  }

  private void start(Pending pending) {
    inFlight++;
    attempt(pending, 1);
  }

  private void attempt(Pending pending, int attempt) {
    breaker.<Published>execute(() -> transport.send(pending.json(), options.attemptTimeoutMillis()))
      .onComplete(ar -> {
        if (ar.succeeded()) {
          finish(pending, ar.result(), null);
          return;
        }
        PublishException refusal = refusal(ar.cause());
        if (ar.cause() instanceof OpenCircuitException || !refusal.retryable() || attempt >= options.maxAttempts()
          || closed) {
          finish(pending, null, refusal);
          return;
        }
        long delay = backoff.delayMillis(attempt, refusal.retryAfterSeconds());
        listener.retrying(pending.event(), attempt, delay, refusal);
        vertx.setTimer(Math.max(1, delay), id -> attempt(pending, attempt + 1)); // 0 is not a valid timer
      });
  }

  private PublishException refusal(Throwable cause) {
    if (cause instanceof PublishException e) {
      return e;
    }
    if (cause instanceof OpenCircuitException) {
      return new PublishException(503, "unavailable", "this publisher's circuit breaker is open",
        (int) Math.max(1, options.breakerResetMillis() / 1000));
    }
    return new PublishException(PublishException.NO_ANSWER, "no_answer", String.valueOf(cause.getMessage()), 0);
  }

  private void finish(Pending pending, Published published, PublishException failure) {
    inFlight--;
    if (failure == null) {
      pending.result().complete(published);
    } else {
      pending.result().fail(failure);
    }
    while (inFlight < options.maxInFlight() && !queue.isEmpty()) {
      start(queue.poll());
    }
  }

  @Override
  public PushhubPublisher onRetry(RetryListener retryListener) {
    this.listener = retryListener;
    return this;
  }

  @Override
  public CircuitBreakerState breakerState() {
    return breaker.state();
  }

  @Override
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      closed = true;
      for (Pending pending; (pending = queue.poll()) != null; ) {
        pending.result().fail(new PublishException(PublishException.NO_ANSWER, "closed", "publisher closed", 0));
      }
      breaker.close();
      transport.close().onComplete(done);
    });
    return done.future();
  }
}
