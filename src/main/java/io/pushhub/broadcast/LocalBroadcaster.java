package io.pushhub.broadcast;

import io.pushhub.event.Event;
import io.vertx.core.Future;

import java.util.List;

/** Delivery for a node without cluster: straight to this node's fan-out. */
public final class LocalBroadcaster implements Broadcaster {

  private final NodeFanout fanout;

  public LocalBroadcaster(NodeFanout fanout) {
    this.fanout = fanout;
  }

  @Override
  public Future<Void> broadcast(Event event, List<String> followers) {
    fanout.accept(event);
    return Future.succeededFuture();
  }
}
