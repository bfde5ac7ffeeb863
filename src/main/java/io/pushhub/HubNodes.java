package io.pushhub;

import com.hazelcast.map.IMap;
import io.pushhub.cluster.ClusterSetup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The hub nodes of the cluster, as opposed to every member: publishers and tools join the
 * Hazelcast cluster too, but only hub nodes enter this list. A node that died without leaving is
 * skipped (and dropped) because its Vert.x node is no longer a member.
 */
final class HubNodes {

  /** How long the list may take to read before the last one read is used instead. */
  private static final long READ_MILLIS = 500;

  private final Vertx vertx;
  private final HazelcastClusterManager cluster;
  private final IMap<String, String> members;
  private final List<String> single = new ArrayList<>();
  private volatile Map<String, String> lastRead = Map.of();

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

  /**
   * Ids of the hub nodes now in the cluster. While partitions move the list can take seconds to
   * read: then it is the last list read, without the nodes that have left since.
   */
  Future<List<String>> ids() {
    if (cluster == null) {
      return Future.succeededFuture(List.copyOf(single));
    }
    return vertx.executeBlocking(() -> Map.copyOf(members), false)
      .timeout(READ_MILLIS, TimeUnit.MILLISECONDS)
      .onSuccess(read -> lastRead = read)
      .otherwise(slow -> lastRead)
      .map(this::alive);
  }

  private List<String> alive(Map<String, String> hubToVertxNode) {
    List<String> alive = cluster.getNodes();
    List<String> ids = new ArrayList<>();
    hubToVertxNode.forEach((hubNode, vertxNode) -> {
      if (alive.contains(vertxNode)) {
        ids.add(hubNode);
      } else {
        vertx.executeBlocking(() -> members.remove(hubNode, vertxNode), false);
      }
    });
    ids.sort(null);
    return ids;
  }
}
