package io.pushhub.metrics;


import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pushhub.config.BuildInfo;
import io.pushhub.error.HubError;
import io.pushhub.error.Rejections;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.ToDoubleFunction;

/**
 * pushhub's own meters (docs/protocol.md), no per-topic label. Counters on the hot path are Micrometer's
 * adders: an increment is a few nanoseconds and never blocks.
 */
public final class HubMetrics {

  private final MeterRegistry registry;
  private final Counter published;
  private final Counter delivered;
  private final Timer deliveryLatency;
  private final Timer resumeDuration;
  private final Counter replayFull;
  private final Counter replayResync;
  private final Rejections rejections = new Rejections();

  public HubMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.published = Counter.builder("pushhub.events.published")
      .description("Events stored and handed over for delivery by this node").register(registry);
    this.delivered = Counter.builder("pushhub.events.delivered")
      .description("Live events written to streams by this node").register(registry);
    this.deliveryLatency = histogram("pushhub.delivery.latency",
      "Publish (store append) to socket write, per event and event loop, at the last subscriber written",
      Duration.ofSeconds(10));
    this.resumeDuration = histogram("pushhub.resume.duration",
      "Streams resumed with a cursor: from the request being taken to its whole replay in the kernel",
      Duration.ofSeconds(30));
    // Value 1, the version as a label: join it onto other series to see which build each node runs.
    Gauge.builder("pushhub.build.info", () -> 1).tag("version", BuildInfo.version())
      .description("The pushhub build this node runs").register(registry);
    this.replayFull = replay("full");
    this.replayResync = replay("resync");
    for (HubError reason : HubError.values()) {
      counter("pushhub.rejected", "reason", reason.code(), "Requests refused, by error code", reason, rejections::total);
    }
  }

  /** This node's refusals, counted where they are answered. */
  public Rejections rejections() {
    return rejections;
  }

  /** A timer exported as a Prometheus histogram, from 0.1 ms up to {@code max}. */
  private Timer histogram(String name, String description, Duration max) {
    return Timer.builder(name).description(description).publishPercentileHistogram()
      .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(max).register(registry);
  }

  private Counter replay(String result) {
    return Counter.builder("pushhub.replay").tag("result", result)
      .description("Streams resumed with a cursor, by whether everything could be replayed").register(registry);
  }

  public static HubMetrics noop() {
    return new HubMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }

  public void published() {
    published.increment();
  }

  public void delivered(int writes) {
    delivered.increment(writes);
  }

  public void deliveryLatencyMicros(long micros) {
    deliveryLatency.record(Math.max(0, micros), TimeUnit.MICROSECONDS);
  }

  public void resumedInNanos(long nanos) {
    resumeDuration.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  public void replayed(boolean complete) {
    (complete ? replayFull : replayResync).increment();
  }

  public void gauge(String name, String description, DoubleSupplier value) {
    Gauge.builder(name, value, DoubleSupplier::getAsDouble).strongReference(true).description(description)
      .register(registry);
  }

  public <T> void counter(String name, String description, T source, ToDoubleFunction<T> total) {
    FunctionCounter.builder(name, source, total).description(description).register(registry);
  }

  public <T> void counter(String name, String tagKey, String tagValue, String description, T source,
                          ToDoubleFunction<T> total) {
    FunctionCounter.builder(name, source, total).tag(tagKey, tagValue).description(description).register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }
}
