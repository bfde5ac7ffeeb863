package io.pushhub.broadcast;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.pushhub.event.Event;
import io.pushhub.event.Position;
import io.pushhub.replay.ReplayStore;
import io.pushhub.tracing.Spans;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Receives every event meant for this node, puts each topic's events back into their log order,
 * and hands each event, once, to the verticle instances that have subscribers of its topic; what
 * they do with it (encode, batch, write) is their endpoints' business. It knows no protocol: it
 * only fills, before the hand-over, the {@link SharedEvent} slots of the encoders it was given.
 *
 * <p>Events of one topic can arrive out of order: publishes on two event loops, or on two nodes,
 * race between their append and their hand-over. The replay store's positions are the one order,
 * so a topic's {@link TopicOrder} holds back an event until its predecessor has come, and fetches
 * the predecessor from the store when it is late. Streams check positions themselves too
 * (dropping duplicates, fetching gaps), so this is what makes the common case cheap, not what
 * makes delivery correct.
 *
 * <p>All state lives on one context: a single thread, no locks.
 *
 * <p>With tracing on, an event that arrives in a trace (the event-bus message's, or the local
 * publish's) carries that trace context to its {@link Spans#FANOUT} span; with tracing off, nothing
 * is looked up.
 */
public final class NodeFanout {

  /** Store operations in flight at once when every topic is checked or followed again. */
  private static final int STORE_BATCH = 32;
  /** How long a follow that failed waits before it is tried again. */
  private static final long RETRY_MILLIS = 1_000;
  /**
   * Topic orders kept at most before those of topics no stream names are forgotten: subscribers
   * by pattern want every topic, and each new one would otherwise keep its order for good.
   */
  private static final int MAX_ORDERS = 10_000;

  private final io.vertx.core.Context context;
  private final ReplayStore store;
  private final long gapWaitMillis;
  private final List<FrameEncoder<?, ?>> eager;
  private final List<Instance> instances = new CopyOnWriteArrayList<>();
  private final Map<String, TopicOrder> orders = new HashMap<>();
  private final Follows follows;
  private final Spans spans;
  private volatile BooleanSupplier storeTrusted = () -> true;
  private Function<Boolean, Future<Void>> everyEventWanted = wanted -> Future.succeededFuture();
  private boolean wantsEveryEvent;
  /** The last change of whether this node wants every event, until the cluster has it. */
  private Future<Void> everyEventChange = Future.succeededFuture();

  public NodeFanout(Vertx vertx, ReplayStore store, long gapWaitMillis, List<FrameEncoder<?, ?>> eager) {
    this(vertx, store, gapWaitMillis, eager, null);
  }

  /**
   * @param eager the encoders to run here, once per event, before the hand-over (see {@link SharedEvent})
   * @param spans this node's spans, {@code null} when tracing is off
   */
  public NodeFanout(Vertx vertx, ReplayStore store, long gapWaitMillis, List<FrameEncoder<?, ?>> eager, Spans spans) {
    this.context = vertx.getOrCreateContext();
    this.store = store;
    this.follows = new Follows(store);
    this.gapWaitMillis = gapWaitMillis;
    this.eager = List.copyOf(eager);
    this.spans = spans;
  }

  /**
   * Adds a verticle instance's index, and what takes its events (from this fan-out's thread: it
   * moves them to the instance's own event loop); an instance has one index per kind of routing.
   */
  public void register(LocalSubscribers subscribers, Consumer<SharedEvent> receiver) {
    subscribers.attach(this);
    instances.add(new Instance(subscribers, receiver));
  }

  /**
   * Makes events read from the store deliverable only while {@code trusted} says so. A node cut
   * off from the cluster's majority reads its own copy of the logs, which may hold events the
   * majority never got, at positions the majority gives to others: no stream may see them.
   * Set before any stream opens.
   */
  public void trustStoreOnlyWhen(BooleanSupplier trusted) {
    this.storeTrusted = trusted;
  }

  /**
   * Tells {@code listener}, on this context, whether some subscriber of this node matches topics
   * by pattern, each time that changes: the node then wants every event, not only those of the
   * topics it follows. New streams start once the change it answers has completed. Set before
   * any stream opens.
   */
  public void onEveryEventWanted(Function<Boolean, Future<Void>> listener) {
    this.everyEventWanted = listener;
  }

  /** An instance got its first pattern subscriber, or lost its last one. */
  void patternsChanged() {
    context.runOnContext(v -> {
      boolean wants = false;
      for (Instance instance : instances) {
        wants |= instance.subscribers().hasPatternSubscribers();
      }
      if (wants != wantsEveryEvent) {
        wantsEveryEvent = wants;
        everyEventChange = everyEventWanted.apply(wants).otherwiseEmpty();
      }
    });
  }

  boolean storeTrusted() {
    return storeTrusted.getAsBoolean();
  }

  /** Takes an event for delivery, in the current trace if any; callable from any thread. */
  public void accept(Event event) {
    Context trace = spans == null ? null : Spans.carried();
    if (Vertx.currentContext() == context) {
      onEvent(event, trace, false);
    } else {
      context.runOnContext(v -> onEvent(event, trace, false));
    }
  }

  /**
   * Takes events sent here because the store named this node among their topics' followers; on
   * this fan-out's context. A topic no stream here follows any more is unfollowed again: the
   * node's interest outlived its streams (an unfollow failed, or these were on their way when it was done).
   */
  public void acceptFollowed(List<Event> events) {
    Context trace = spans == null ? null : Spans.carried();
    for (int i = 0; i < events.size(); i++) {
      onEvent(events.get(i), trace, true);
    }
  }

  /** An instance got its first subscriber of {@code topic}: follow it, and order it from the store's head. */
  void interest(String topic) {
    context.runOnContext(v -> orderOf(topic).startPosition());
  }

  /**
   * Where new streams of {@code topics}, already in their instance's index, start: for each, the
   * position after which this node emits every event (see {@link TopicOrder#startPosition}).
   * Completes on the caller's context.
   */
  public Future<List<Position>> startPositions(String[] topics) {
    io.vertx.core.Context caller = Vertx.currentContext();
    Promise<List<Position>> result = Promise.promise();
    context.runOnContext(v -> {
      List<Future<Position>> starts = new ArrayList<>(topics.length);
      for (String topic : topics) {
        starts.add(orderOf(topic).startPosition());
      }
      everyEventChange.transform(change -> Future.all(starts)).onComplete(ar -> {
        Runnable complete = () -> {
          if (ar.succeeded()) {
            result.complete(starts.stream().map(Future::result).toList());
          } else {
            result.fail(ar.cause());
          }
        };
        if (caller == null) {
          complete.run();
        } else {
          caller.runOnContext(x -> complete.run());
        }
      });
    });
    return result.future();
  }

  private TopicOrder orderOf(String topic) {
    TopicOrder order = orders.get(topic);
    if (order == null) {
      order = new TopicOrder(this, topic, true);
      orders.put(topic, order);
    }
    return order;
  }

  Follows follows() {
    return follows;
  }

  /** Follows the topic of {@code order} again a moment later, while it is still this node's order. */
  void retryLater(TopicOrder order) {
    vertx().setTimer(RETRY_MILLIS, id -> {
      if (orders.get(order.topic()) == order) {
        order.recheck();
      }
    });
  }

  /** An instance lost its last subscriber of {@code topic}: forget its order unless another has some. */
  void noInterest(String topic) {
    try {
      context.runOnContext(v -> {
        if (!hasInterest(topic)) {
          forget(topic);
        }
      });
    } catch (RejectedExecutionException closing) {
      // Streams closed while Vert.x shuts down: the fan-out context is already gone, and its orders with it.
    }
  }

  private void forget(String topic) {
    TopicOrder order = orders.remove(topic);
    if (order != null) {
      order.cancel();
      if (order.followed()) {
        follows.unfollow(topic);
      }
    }
  }

  /**
   * Reads every ordered topic's store past what was delivered, a batch of topics at a time: after
   * a member left the cluster, the events it stored but never handed over. Callable from any thread.
   */
  public void recheckAll() {
    context.runOnContext(v -> {
      if (storeTrusted()) {
        inBatches(new ArrayDeque<>(orders.values()), TopicOrder::recheck);
      }
    });
  }

  /**
   * Follows again every topic this node's streams follow, renewing its interest (and the topic's
   * log) before they lapse with the age; callable from any thread.
   */
  public void renewFollows() {
    context.runOnContext(v -> {
      Deque<TopicOrder> followed = new ArrayDeque<>();
      for (TopicOrder order : orders.values()) {
        if (order.followed()) {
          followed.add(order);
        }
      }
      inBatches(followed, TopicOrder::recheck);
    });
  }

  /** Runs {@code step} on each of {@code left}, a batch of store operations in flight at a time. */
  private static <T> void inBatches(Deque<T> left, Function<T, Future<Void>> step) {
    List<Future<Void>> batch = new ArrayList<>();
    while (batch.size() < STORE_BATCH && !left.isEmpty()) {
      batch.add(step.apply(left.poll()));
    }
    if (!batch.isEmpty()) {
      Future.join(batch).onComplete(done -> inBatches(left, step));
    }
  }

  /** Whether a stream of this node follows {@code topic}; callable from any thread. */
  public boolean subscribed(String topic) {
    return hasInterest(topic);
  }

  /** Topics this node currently orders; for tests and admin. */
  public int orderedTopics() {
    return orders.size();
  }

  public io.vertx.core.Context context() {
    return context;
  }

  private void onEvent(Event event, Context trace, boolean followedHere) {
    String topic = event.topic();
    if (!wanted(event)) {
      if (orders.containsKey(topic)) {
        forget(topic);
      } else if (followedHere && !follows.changing(topic)) {
        follows.unfollow(topic);
      }
      return;
    }
    TopicOrder order = orders.get(topic);
    if (order == null) {
      if (orders.size() >= MAX_ORDERS) {
        forgetUnnamed();
      }
      order = new TopicOrder(this, topic, hasInterest(topic));
      orders.put(topic, order);
    }
    order.offer(event, trace);
  }

  /** Forgets the orders of topics that only pattern or alternate routes brought here. */
  private void forgetUnnamed() {
    for (String topic : List.copyOf(orders.keySet())) {
      if (!hasInterest(topic)) {
        forget(topic);
      }
    }
  }

  /** Whether an instance wants {@code event}: by its topic, an alternate, or a pattern. */
  private boolean wanted(Event event) {
    for (Instance instance : instances) {
      if (instance.subscribers().wants(event)) {
        return true;
      }
    }
    return false;
  }

  private boolean hasInterest(String topic) {
    for (Instance instance : instances) {
      if (instance.subscribers().hasSubscribers(topic)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Encodes once per eager encoder and hands the same event to every instance with subscribers;
   * inside a {@link Spans#FANOUT} span when the event came in a trace ({@code trace} not null).
   */
  void emit(Event event, Context trace) {
    Span span = trace == null ? null : spans.start(Spans.FANOUT, trace, SpanKind.INTERNAL, event.topic());
    SharedEvent shared = new SharedEvent(event);
    for (int i = 0; i < eager.size(); i++) {
      shared.encoded(eager.get(i));
    }
    int handed = 0;
    for (Instance instance : instances) {
      if (instance.subscribers().wants(event)) {
        instance.receiver().accept(shared);
        handed++;
      }
    }
    if (span != null) {
      span.setAttribute(Spans.CURSOR, event.cursor()).setAttribute(Spans.INSTANCES, handed).end();
    }
  }

  ReplayStore store() {
    return store;
  }

  long gapWaitMillis() {
    return gapWaitMillis;
  }

  Vertx vertx() {
    return context.owner();
  }

  /** A verticle instance: its index, and what takes its events to its loop. */
  private record Instance(LocalSubscribers subscribers, Consumer<SharedEvent> receiver) {
  }
}
