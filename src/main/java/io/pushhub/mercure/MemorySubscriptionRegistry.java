package io.pushhub.mercure;

import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The subscriptions of a node without a cluster. */
public final class MemorySubscriptionRegistry implements SubscriptionRegistry {

  private final String node;
  private final Map<String, ActiveSubscription> subscriptions = new ConcurrentHashMap<>();

  public MemorySubscriptionRegistry(String node) {
    this.node = node;
  }

  @Override
  public String node() {
    return node;
  }

  @Override
  public Future<Void> put(ActiveSubscription subscription) {
    subscriptions.put(subscription.id(), subscription);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> remove(ActiveSubscription subscription) {
    subscriptions.remove(subscription.id());
    return Future.succeededFuture();
  }

  @Override
  public Future<List<ActiveSubscription>> all() {
    return Future.succeededFuture(List.copyOf(subscriptions.values()));
  }

  @Override
  public void onNodeLeft(Consumer<List<ActiveSubscription>> ended) {
  }
}
