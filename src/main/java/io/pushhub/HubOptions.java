package io.pushhub;

import io.pushhub.config.HubConfig;
import io.pushhub.metrics.MetricsSetup;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * What a node is started with: its Vert.x and configuration, and optionally its cluster manager
 * ({@code null}: a node alone), the name of the metrics registry {@code vertx} was built with
 * ({@link MetricsSetup}; {@code null}: no {@code /metrics}), and how its replay store is made.
 */
public record HubOptions(Vertx vertx, HubConfig config, HazelcastClusterManager cluster, String metricsRegistry,
                         StoreFactory stores) {

  public static HubOptions of(Vertx vertx, HubConfig config) {
    return new HubOptions(vertx, config, null, null, StoreFactory.STANDARD);
  }

  public HubOptions clustered(HazelcastClusterManager manager) {
    return new HubOptions(vertx, config, manager, metricsRegistry, stores);
  }

  public HubOptions metrics(String registry) {
    return new HubOptions(vertx, config, cluster, registry, stores);
  }

  public HubOptions stores(StoreFactory factory) {
    return new HubOptions(vertx, config, cluster, metricsRegistry, factory);
  }
}
