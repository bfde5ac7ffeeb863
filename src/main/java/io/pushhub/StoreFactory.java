package io.pushhub;

import io.pushhub.cluster.HazelcastReplayStore;
import io.pushhub.config.HubConfig;
import io.pushhub.replay.MemoryReplayStore;
import io.pushhub.replay.ReplayStore;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/** Makes a node's replay store; {@code cluster} is null for a node alone. */
@FunctionalInterface
public interface StoreFactory {

  /** Events in memory for a node alone, in Hazelcast for a clustered one. */
  StoreFactory STANDARD = (vertx, replay, cluster, nodeId) -> cluster == null
    ? new MemoryReplayStore(replay, Hub::nowMicros)
    : new HazelcastReplayStore(vertx, cluster.getHazelcastInstance(), replay, Hub::nowMicros, nodeId);

  /** @param nodeId the hub node the store serves */
  ReplayStore create(Vertx vertx, HubConfig.Replay replay, HazelcastClusterManager cluster, String nodeId);
}
