package io.pushhub.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Vert.x metrics on a Prometheus registry of their own: Vert.x's HTTP and event-bus meters, JVM
 * meters, and pushhub's, all scraped at {@code /metrics}. Registries are per JVM and keyed by
 * name, so each Vert.x instance gets a name of its own (tests run several nodes in one JVM).
 * The options also ask for Netty's native epoll transport where it is available.
 *
 * <p>No label takes a value a client chose: a method outside the standard ones is counted as
 * {@code OTHER} (each new name was a new series forever). Vert.x's own
 * {@code vertx_http_server_active_requests} is replaced by {@link ActiveRequests}: Vert.x's
 * drifted with every request the decoder refused or a timeout cut short.
 */
public final class MetricsSetup {

  static final String ACTIVE_REQUESTS = "vertx.http.server.active.requests";
  private static final String HTTP_SERVER = "vertx.http.server.";
  private static final Set<String> METHODS =
    Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

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

  /**
   * For {@code Vertx.builder().withMetrics(...)} beside {@link #vertxOptions}: the registry with its
   * filters in place before any meter exists (Micrometer applies filters to later meters only).
   */
  public static VertxMetricsFactory metricsFactory() {
    return new MicrometerMetricsFactory(boundedRegistry());
  }

  private static PrometheusMeterRegistry boundedRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config()
      .meterFilter(MeterFilter.deny(id -> id.getName().equals(ACTIVE_REQUESTS) && id.getTag("method") != null))
      .meterFilter(new MeterFilter() {
        @Override
        public Meter.Id map(Meter.Id id) {
          String method = id.getTag("method");
          return method == null || !id.getName().startsWith(HTTP_SERVER) || METHODS.contains(method) ? id
            : id.withTag(Tag.of("method", "OTHER"));
        }
      });
    return registry;
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
