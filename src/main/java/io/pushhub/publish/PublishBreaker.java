package io.pushhub.publish;

import io.pushhub.config.HubConfig;
import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * The node's one circuit breaker around the store-and-hand-off step of a publish, shared by all
 * its event loops: after {@code maxFailures} failures or timeouts in a row it opens, and publishes
 * fail at once with {@code 503 unavailable} and a {@code Retry-After} of the reset time; then one
 * probe is let through (half-open), and a success closes it. A publish that failed by itself, the
 * breaker still closed, is answered with a {@code Retry-After} of one second: a member leaving the
 * cluster stalls the store briefly, and a publisher told to wait the whole reset time per attempt
 * would fall far behind.
 */
public final class PublishBreaker {

  private static final Logger log = LoggerFactory.getLogger(PublishBreaker.class);

  private final CircuitBreaker breaker;
  private final int openRetryAfterSeconds;

  public PublishBreaker(Vertx vertx, HubConfig.Publish config) {
    this.breaker = CircuitBreaker.create("pushhub-publish", vertx, new CircuitBreakerOptions()
      .setMaxFailures(config.breakerMaxFailures())
      .setTimeout(config.breakerTimeoutMillis())
      .setResetTimeout(config.breakerResetMillis())
      // No state notifications on the (clustered) event bus: the metric and the log say it.
      .setNotificationAddress(null));
    this.openRetryAfterSeconds = (int) Math.max(1, (config.breakerResetMillis() + 999) / 1000);
    breaker.openHandler(v -> log.warn("publish breaker opened {}", kv("state", "open")))
      .halfOpenHandler(v -> log.info("publish breaker half-open {}", kv("state", "half-open")))
      .closeHandler(v -> log.info("publish breaker closed {}", kv("state", "closed")));
  }

  public <T> Future<T> execute(Supplier<Future<T>> step) {
    return breaker.<T>execute(step).recover(e -> {
      if (e instanceof HubException hub && hub.error() != HubError.UNAVAILABLE) {
        return Future.failedFuture(e);
      }
      if (e instanceof OpenCircuitException) {
        return Future.failedFuture(new HubException(HubError.UNAVAILABLE, "the publish path is unavailable (circuit open)",
          openRetryAfterSeconds));
      }
      String why = e instanceof io.vertx.circuitbreaker.TimeoutException ? "the publish path timed out"
        : "the publish path is unavailable";
      return Future.failedFuture(new HubException(HubError.UNAVAILABLE, why, 1));
    });
  }

  /** 0 closed, 1 half-open, 2 open: the value of {@code pushhub_circuit_breaker_state}. */
  public int stateCode() {
    CircuitBreakerState state = breaker.state();
    return state == CircuitBreakerState.OPEN ? 2 : state == CircuitBreakerState.HALF_OPEN ? 1 : 0;
  }

  public String stateName() {
    return switch (stateCode()) {
      case 2 -> "open";
      case 1 -> "half-open";
      default -> "closed";
    };
  }
}
