package io.pushhub.mercure;

import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.pushhub.cluster.HazelcastFutures;
import io.pushhub.mercure.MercureIds.Location;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.concurrent.TimeUnit;

/**
 * The cluster-wide id index: a Hazelcast map from a publisher's id to the id the hub would have
 * generated for the same update (a plain string, so no serializer is needed), with the replay
 * age as time to live and a per-member size bound.
 */
public final class HazelcastMercureIdIndex implements MercureIdIndex {

  public static final String MAP = "pushhub.mercure.ids";

  private final Vertx vertx;
  private final IMap<String, String> ids;
  private final int ttlSeconds;

  public HazelcastMercureIdIndex(Vertx vertx, HazelcastInstance hazelcast, int ttlSeconds) {
    this.vertx = vertx;
    this.ids = hazelcast.getMap(MAP);
    this.ttlSeconds = ttlSeconds;
  }

  /** The map's settings, to add to the hub's Hazelcast config: one backup, bounded per member. */
  public static MapConfig mapConfig(int maxEntriesPerMember, int ttlSeconds) {
    return new MapConfig(MAP).setBackupCount(1).setTimeToLiveSeconds(ttlSeconds)
      .setEvictionConfig(new EvictionConfig().setEvictionPolicy(EvictionPolicy.LRU)
        .setMaxSizePolicy(MaxSizePolicy.PER_NODE).setSize(maxEntriesPerMember));
  }

  @Override
  public Future<Void> put(String id, Location location) {
    String value = MercureIds.generate(location.topic(), location.position());
    return HazelcastFutures.on(vertx, ids.setAsync(id, value, ttlSeconds, TimeUnit.SECONDS));
  }

  @Override
  public Future<Location> get(String id) {
    return HazelcastFutures.on(vertx, ids.getAsync(id))
      .map(value -> value == null ? null : MercureIds.locate(value));
  }
}
