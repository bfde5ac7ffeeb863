package io.pushhub.mercure;

import io.vertx.core.Future;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where the active subscriptions of every node are listed, for the subscriptions API
 * (docs/mercure.md): a map in memory on a single node, a Hazelcast map in a cluster, keyed by
 * subscription id. Futures complete on the caller's context.
 */
public interface SubscriptionRegistry {

  /** What this node writes as {@link ActiveSubscription#node()}. */
  String node();

  Future<Void> put(ActiveSubscription subscription);

  Future<Void> remove(ActiveSubscription subscription);

  /** Every listed subscription, of every node. */
  Future<List<ActiveSubscription>> all();

  /**
   * {@code ended} is told, on one node of the cluster, of the subscriptions of nodes that left
   * it, once they are no longer listed. A single node never calls it.
   */
  void onNodeLeft(Consumer<List<ActiveSubscription>> ended);
}
