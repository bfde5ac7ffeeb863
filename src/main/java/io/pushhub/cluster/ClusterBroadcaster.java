package io.pushhub.cluster;

import io.pushhub.broadcast.Broadcaster;
import io.pushhub.broadcast.NodeFanout;
import io.pushhub.event.Event;
import io.pushhub.event.EventCodec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * Delivery across the cluster: one event-bus message per event per hub node, to the one
 * node-wide consumer of {@link #ADDRESS}, which hands it to that node's {@link NodeFanout}.
 * Members that are not hub nodes (publishers, tools) register no consumer and get nothing.
 */
public final class ClusterBroadcaster implements Broadcaster {

  public static final String ADDRESS = "pushhub.deliver";

  private final EventBus bus;

  public ClusterBroadcaster(EventBus bus) {
    this.bus = bus;
  }

  @Override
  public Future<Void> broadcast(Event event) {
    bus.publish(ADDRESS, Buffer.buffer(EventCodec.encode(event)));
    return Future.succeededFuture();
  }

  /** Registers this node's consumer on the fan-out's own context; completes once the cluster knows it. */
  public static Future<MessageConsumer<Buffer>> registerConsumer(EventBus bus, NodeFanout fanout) {
    Promise<MessageConsumer<Buffer>> registered = Promise.promise();
    fanout.context().runOnContext(v -> {
      MessageConsumer<Buffer> consumer = bus.consumer(ADDRESS, message -> fanout.accept(EventCodec.decode(message.body())));
      consumer.completion().map(consumer).onComplete(registered);
    });
    return registered.future();
  }

  /**
   * Registers a new consumer, then drops {@code old}. A registration is a change every member
   * hears of: each one reads again who consumes {@link #ADDRESS}. A node that merged back after a
   * split may otherwise keep sending to the consumers it knew while it was alone, that is to none.
   * Both consumers deliver for a moment; the fan-out drops what it already has.
   */
  public static Future<MessageConsumer<Buffer>> renewConsumer(EventBus bus, NodeFanout fanout,
                                                              MessageConsumer<Buffer> old) {
    return registerConsumer(bus, fanout).compose(fresh -> old.unregister().map(fresh));
  }
}
