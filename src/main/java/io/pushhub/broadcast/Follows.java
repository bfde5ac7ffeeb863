package io.pushhub.broadcast;

import io.pushhub.event.Position;
import io.pushhub.replay.ReplayStore;
import io.vertx.core.Future;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * This node's changes of interest in topics, made in the store: the follows and unfollows of one
 * topic run one after the other, since a follow overtaken by an older unfollow would leave the
 * node out of the topic's followers. Lives on the {@link NodeFanout} context.
 */
final class Follows {

  private final ReplayStore store;
  /** The last change of a topic still in flight, by topic. */
  private final Map<String, Future<?>> inFlight = new HashMap<>();

  Follows(ReplayStore store) {
    this.store = store;
  }

  /** Follows {@code topic} once every earlier change of it is done; answers the head (see {@link ReplayStore#follow}). */
  Future<Position> follow(String topic) {
    return afterEarlier(topic, () -> store.follow(topic));
  }

  void unfollow(String topic) {
    afterEarlier(topic, () -> store.unfollow(topic));
  }

  /** Whether a change of {@code topic} is on its way to the store. */
  boolean changing(String topic) {
    return inFlight.containsKey(topic);
  }

  private <T> Future<T> afterEarlier(String topic, Supplier<Future<T>> change) {
    Future<?> earlier = inFlight.get(topic);
    Future<T> next = earlier == null ? change.get() : earlier.transform(done -> change.get());
    inFlight.put(topic, next);
    next.onComplete(done -> inFlight.remove(topic, next));
    return next;
  }
}
