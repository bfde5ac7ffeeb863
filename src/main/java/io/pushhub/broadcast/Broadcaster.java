package io.pushhub.broadcast;

import io.pushhub.event.Event;
import io.vertx.core.Future;

import java.util.List;

/**
 * Hands a stored event over for delivery to every node's subscribers: in this process for a
 * single node, over the clustered event bus for a cluster.
 */
public interface Broadcaster {

  /**
   * Completes once the event has been handed over; delivery itself goes on after.
   *
   * @param followers the nodes the store named as following the event's topic (see
   *                  {@link io.pushhub.replay.ReplayStore.Appended#followers()})
   */
  Future<Void> broadcast(Event event, List<String> followers);
}
