package io.pushhub.broadcast;

import io.pushhub.event.Event;
import io.vertx.core.Future;

/** Delivery for a node without cluster: straight to this node's fan-out. */
public final class LocalBroadcaster implements Broadcaster {

  private final NodeFanout fanout;

  public LocalBroadcaster(NodeFanout fanout) {
    this.fanout = fanout;
  }

  @Override
  public Future<Void> broadcast(Event event) {
    fanout.accept(event);
    return Future.succeededFuture();
  }
}
