package io.pushhub;

import com.hazelcast.map.IMap;
import io.pushhub.cluster.ClusterSetup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The hub nodes of the cluster, as opposed to every member: publishers and tools join the
 * Hazelcast cluster too, but only hub nodes enter this list. A node that died without leaving is
 * skipped (and dropped) because its Vert.x node is no longer a member.
 */
final class HubNodes {

  private final Vertx vertx;
  private final HazelcastClusterManager cluster;
  private final IMap<String, String> members;
  private final List<String> single = new ArrayList<>();

  HubNodes(Vertx vertx, HazelcastClusterManager cluster) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.members = cluster == null ? null : cluster.getHazelcastInstance().getMap(ClusterSetup.NODES);
  }

  Future<Void> join(String nodeId) {
    if (cluster == null) {
      single.add(nodeId);
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> members.put(nodeId, cluster.getNodeId()), false).mapEmpty();
  }

  Future<Void> leave(String nodeId) {
    if (cluster == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> members.remove(nodeId), false).mapEmpty();
  }

  /** Ids of the hub nodes now in the cluster. */
  Future<List<String>> ids() {
    if (cluster == null) {
      return Future.succeededFuture(List.copyOf(single));
    }
    return vertx.executeBlocking(() -> {
      List<String> alive = cluster.getNodes();
      List<String> ids = new ArrayList<>();
      for (Map.Entry<String, String> e : members.entrySet()) {
        if (alive.contains(e.getValue())) {
          ids.add(e.getKey());
        } else {
          members.remove(e.getKey(), e.getValue());
        }
      }
      ids.sort(null);
      return ids;
    }, false);
  }
}
