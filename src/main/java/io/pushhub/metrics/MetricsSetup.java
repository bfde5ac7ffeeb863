package io.pushhub.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Vert.x metrics on a Prometheus registry of their own: Vert.x's HTTP and event-bus meters, JVM
 * meters, and pushhub's, all scraped at {@code /metrics}. Registries are per JVM and keyed by
 * name, so each Vert.x instance gets a name of its own (tests run several nodes in one JVM).
 * The options also ask for Netty's native epoll transport where it is available.
 */
public final class MetricsSetup {

  private MetricsSetup() {
  }

  public static String newRegistryName() {
    return "pushhub-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
  }

  public static VertxOptions vertxOptions(String registryName) {
    return new VertxOptions().setPreferNativeTransport(true).setMetricsOptions(new MicrometerMetricsOptions()
      .setEnabled(true)
      .setJvmMetricsEnabled(true)
      .setRegistryName(registryName)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
  }

  /** The registry of a Vert.x built with {@link #vertxOptions}. */
  public static MeterRegistry registry(String registryName) {
    MeterRegistry registry = BackendRegistries.getNow(registryName);
    if (registry == null) {
      throw new IllegalStateException("no metrics registry " + registryName);
    }
    return registry;
  }
}
