package io.pushhub;

import io.pushhub.config.HubConfig;
import io.pushhub.metrics.MetricsSetup;
import io.pushhub.tracing.Tracing;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * What a node is started with: its Vert.x and configuration, and optionally its cluster manager
 * ({@code null}: a node alone), the name of the metrics registry {@code vertx} was built with
 * ({@link MetricsSetup}; {@code null}: no {@code /metrics}), how its replay store is made, and the
 * tracing SDK {@code vertx} was built with ({@link Tracing#install}; {@code null}: tracing off).
 */
public record HubOptions(Vertx vertx, HubConfig config, HazelcastClusterManager cluster, String metricsRegistry,
                         StoreFactory stores, Tracing tracing) {

  public static HubOptions of(Vertx vertx, HubConfig config) {
    return new HubOptions(vertx, config, null, null, StoreFactory.STANDARD, null);
  }

  public HubOptions clustered(HazelcastClusterManager manager) {
    return new HubOptions(vertx, config, manager, metricsRegistry, stores, tracing);
  }

  public HubOptions metrics(String registry) {
    return new HubOptions(vertx, config, cluster, registry, stores, tracing);
  }

  public HubOptions stores(StoreFactory factory) {
    return new HubOptions(vertx, config, cluster, metricsRegistry, factory, tracing);
  }

  public HubOptions tracing(Tracing sdk) {
    return new HubOptions(vertx, config, cluster, metricsRegistry, stores, sdk);
  }
}
