package io.pushhub.cluster;

import io.pushhub.broadcast.Broadcaster;
import io.pushhub.broadcast.NodeFanout;
import io.pushhub.event.Event;
import io.pushhub.event.EventCodec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Delivery across the cluster, by interest: a stored event goes to the hub nodes its append named
 * as its topic's followers, and to those that want every event (pattern subscribers); an event
 * with alternate topics, whose followers the append cannot name, goes to every hub node. This
 * node, if among them, takes it straight into its fan-out; each other node gets it at its own
 * address, {@link #ADDRESS_PREFIX} and its Vert.x node id, whose one consumer hands it to that
 * node's {@link NodeFanout}.
 *
 * <p>Sends are batched: the events a context hands over within one turn of its loop go to each
 * node as one message, sent when the turn ends. With tracing on, each event goes alone, so that
 * its message carries its publish's trace.
 */
public final class ClusterBroadcaster implements Broadcaster {

  public static final String ADDRESS_PREFIX = "pushhub.deliver.";
  /** A batch past this size is sent at once rather than at the end of the turn. */
  private static final int MAX_BATCH_BYTES = 256 * 1024;
  /** How long a node that lost its last pattern subscriber keeps getting every event. */
  private static final long EVERY_EVENT_LINGER_MILLIS = 30_000;

  private final Vertx vertx;
  private final EventBus bus;
  private final String self;
  private final NodeFanout fanout;
  private final ClusterRoutes routes;
  private final boolean traced;
  private final LongAdder received = new LongAdder();
  private MessageConsumer<Buffer> consumer;
  private boolean wantsEvery;
  private long lingerTimer = -1;

  /**
   * @param self this node's Vert.x node id, the id it follows topics under
   * @param traced whether tracing is on: then no batching
   */
  public ClusterBroadcaster(Vertx vertx, String self, NodeFanout fanout, ClusterRoutes routes, boolean traced) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.self = self;
    this.fanout = fanout;
    this.routes = routes;
    this.traced = traced;
  }

  @Override
  public Future<Void> broadcast(Event event, List<String> followers) {
    Collection<String> targets;
    if (!event.alternates().isEmpty()) {
      targets = routes.hubNodes();
    } else if (routes.wantingEvery().isEmpty()) {
      targets = followers;
    } else {
      targets = new LinkedHashSet<>(followers);
      targets.addAll(routes.wantingEvery());
    }
    byte[] encoded = null;
    for (String node : targets) {
      if (node.equals(self)) {
        fanout.accept(event);
      } else if (!routes.departed(node)) {
        if (encoded == null) {
          encoded = EventCodec.encode(event);
        }
        send(node, encoded);
      }
    }
    return Future.succeededFuture();
  }

  private void send(String node, byte[] encoded) {
    Context context = Vertx.currentContext();
    if (traced || context == null) {
      bus.send(ADDRESS_PREFIX + node, Buffer.buffer(encoded.length + 4).appendInt(encoded.length).appendBytes(encoded));
      return;
    }
    Batches batches = context.get(this);
    if (batches == null) {
      batches = new Batches();
      context.put(this, batches);
    }
    batches.add(node, encoded, context);
  }

  /** Registers this node's consumer on the fan-out's context, and learns the routes; completes once the cluster knows both. */
  public Future<Void> listen() {
    return routes.start().compose(v -> register()).map(fresh -> {
      consumer = fresh;
      return null;
    });
  }

  /**
   * Registers the consumer anew and drops the old one, reads again who wants every event and says
   * it again for this node: after a split, a node that merged back may otherwise keep what it
   * heard while alone. Both consumers deliver for a moment; the fan-out drops what it already has.
   */
  public Future<Void> renew() {
    MessageConsumer<Buffer> old = consumer;
    return register().compose(fresh -> {
      consumer = fresh;
      return old == null ? Future.<Void>succeededFuture() : old.unregister();
    }).compose(v -> routes.reread()).compose(v -> wantsEvery ? routes.wantEvery(self, true) : Future.succeededFuture());
  }

  /**
   * Whether this node's subscribers want every event from now on (some match topics by pattern);
   * on the fan-out's context. Wanting them no more takes effect after a while, so that pattern
   * subscribers that come and go do not make every node rewrite the routes each time.
   */
  public Future<Void> wantEveryEvent(boolean wants) {
    if (lingerTimer >= 0) {
      vertx.cancelTimer(lingerTimer);
      lingerTimer = -1;
    }
    if (wants == wantsEvery) {
      return Future.succeededFuture();
    }
    if (wants) {
      wantsEvery = true;
      return routes.wantEvery(self, true);
    }
    lingerTimer = vertx.setTimer(EVERY_EVENT_LINGER_MILLIS, id -> {
      lingerTimer = -1;
      wantsEvery = false;
      routes.wantEvery(self, false);
    });
    return Future.succeededFuture();
  }

  private Future<MessageConsumer<Buffer>> register() {
    Promise<MessageConsumer<Buffer>> registered = Promise.promise();
    fanout.context().runOnContext(v -> {
      MessageConsumer<Buffer> fresh = bus.consumer(ADDRESS_PREFIX + self, message -> {
        List<Event> events = decode(message.body());
        received.add(events.size());
        fanout.acceptFollowed(events);
      });
      fresh.completion().map(fresh).onComplete(registered);
    });
    return registered.future();
  }

  /** Events other nodes sent this one. */
  public long received() {
    return received.sum();
  }

  private static List<Event> decode(Buffer batch) {
    List<Event> events = new ArrayList<>();
    for (int at = 0; at < batch.length(); ) {
      int length = batch.getInt(at);
      events.add(EventCodec.decode(batch.getBytes(at + 4, at + 4 + length)));
      at += 4 + length;
    }
    return events;
  }

  /** One context's batches, by node; sent when its loop's current turn ends. */
  private final class Batches {
    private final Map<String, Buffer> byNode = new HashMap<>();
    private boolean flushing;

    void add(String node, byte[] encoded, Context context) {
      Buffer batch = byNode.computeIfAbsent(node, n -> Buffer.buffer());
      batch.appendInt(encoded.length).appendBytes(encoded);
      if (batch.length() >= MAX_BATCH_BYTES) {
        byNode.remove(node);
        bus.send(ADDRESS_PREFIX + node, batch);
      } else if (!flushing) {
        flushing = true;
        context.runOnContext(v -> flush());
      }
    }

    private void flush() {
      flushing = false;
      byNode.forEach((node, batch) -> bus.send(ADDRESS_PREFIX + node, batch));
      byNode.clear();
    }
  }
}
