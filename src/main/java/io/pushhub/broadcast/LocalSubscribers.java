package io.pushhub.broadcast;

import io.pushhub.event.EncodedEvent;
import io.pushhub.metrics.HubMetrics;
import io.vertx.core.Context;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The topic → subscribers index of one verticle instance. Changed and iterated only on the
 * instance's event loop; {@link NodeFanout} reads which topics it holds from its own thread.
 * Subscribers sit in arrays with swap-removal, so that delivery is a plain loop and a thousand
 * streams leaving a topic cost a thousand constant-time removals.
 *
 * <p>Runs are delivered in slices ({@link SliceScheduler}): each slice's streams are written, then
 * flushed at once, and the next slice waits for the event loop's next poll of its sockets. Runs
 * go out strictly in arrival order, each whole before the next.
 */
public final class LocalSubscribers {

  private final Context context;
  private final SliceScheduler slices;
  private final Runnable flushWritten;
  private final HubMetrics metrics;
  private final LongSupplier clockMicros;
  private final Map<String, Slots> byTopic = new ConcurrentHashMap<>();
  /** Events that arrived since the last take, per topic in arrival order; each topic's become one run. */
  private final Map<String, EventRun> arrived = new HashMap<>();
  private final List<EventRun> runs = new ArrayList<>();
  /** Runs being delivered, in arrival order; the head one a slice at a time. */
  private final ArrayDeque<Delivery> deliveries = new ArrayDeque<>();
  /** A slice is on its way: arrivals wait for it. */
  private boolean sliceScheduled;
  private NodeFanout fanout;

  /** @param flushWritten flushes the streams written to since it last ran; called after each slice */
  public LocalSubscribers(Context context, HubMetrics metrics, LongSupplier clockMicros, Runnable flushWritten) {
    this.context = context;
    this.slices = new SliceScheduler(context);
    this.metrics = metrics;
    this.clockMicros = clockMicros;
    this.flushWritten = flushWritten;
  }

  void attach(NodeFanout fanout) {
    this.fanout = fanout;
  }

  public void add(String topic, int topicIndex, Subscriber subscriber) {
    Slots slots = byTopic.get(topic);
    if (slots == null) {
      slots = new Slots();
      byTopic.put(topic, slots);
      fanout.interest(topic);
    }
    slots.add(subscriber, topicIndex);
  }

  public void remove(String topic, int topicIndex, Subscriber subscriber) {
    Slots slots = byTopic.get(topic);
    int slot = subscriber.slots()[topicIndex];
    if (slots == null || slot < 0 || slot >= slots.size || slots.subscribers[slot] != subscriber) {
      return;
    }
    slots.remove(slot);
    subscriber.slots()[topicIndex] = -1;
    if (slots.size == 0) {
      byTopic.remove(topic);
      fanout.noInterest(topic);
    }
  }

  /** Callable from any thread. */
  public boolean hasSubscribers(String topic) {
    return byTopic.containsKey(topic);
  }

  /** Hands {@code event} to this instance's event loop for delivery; callable from any thread. */
  void deliver(EncodedEvent event) {
    context.runOnContext(v -> arrive(event));
  }

  /**
   * Events queued on this loop while it was busy all arrive before the slice task queued after
   * the first of them, and those that arrive while a delivery is under way wait for it to end:
   * the busier the loop, the longer the runs, the fewer writes per event.
   */
  private void arrive(EncodedEvent event) {
    String topic = event.event().topic();
    EventRun run = arrived.get(topic);
    if (run == null) {
      run = new EventRun();
      arrived.put(topic, run);
      runs.add(run);
    }
    run.add(event);
    if (!sliceScheduled) {
      sliceScheduled = true;
      context.runOnContext(v -> deliverSlice());
    }
  }

  private void deliverSlice() {
    sliceScheduled = false;
    int budget = slices.budget();
    while (budget > 0 && (!deliveries.isEmpty() || takeArrived())) {
      Delivery delivery = deliveries.peek();
      budget -= delivery.deliverUpTo(budget);
      if (delivery.done()) {
        deliveries.poll();
        delivered(delivery);
      }
    }
    flushWritten.run();
    if (!deliveries.isEmpty() || !runs.isEmpty()) {
      sliceScheduled = true;
      slices.afterPoll(this::deliverSlice);
    }
  }

  /** The runs that arrived since the last take become deliveries; whether there are any. */
  private boolean takeArrived() {
    for (int r = 0; r < runs.size(); r++) {
      EventRun run = runs.get(r);
      Slots slots = byTopic.get(run.first().event().topic());
      if (slots != null) {
        deliveries.add(new Delivery(run, slots));
      }
    }
    runs.clear();
    arrived.clear();
    return !deliveries.isEmpty();
  }

  private void delivered(Delivery delivery) {
    if (delivery.written > 0) {
      metrics.delivered(delivery.written);
      long now = clockMicros.getAsLong();
      for (int e = 0; e < delivery.run.size(); e++) {
        metrics.deliveryLatencyMicros(now - delivery.run.get(e).event().publishedAtMicros());
      }
    }
  }

  /** Sum over topics of their subscribers here. */
  public int subscriptionCount() {
    int total = 0;
    for (Slots slots : byTopic.values()) {
      total += slots.size;
    }
    return total;
  }

  /** Subscribers per topic here; call on this instance's event loop. */
  public Map<String, Integer> counts() {
    Map<String, Integer> counts = new HashMap<>();
    byTopic.forEach((topic, slots) -> counts.put(topic, slots.size));
    return counts;
  }

  /** One run on its way to a topic's subscribers here. */
  private static final class Delivery {
    final EventRun run;
    final Slots slots;
    /** The next slot to serve: backwards, so that a subscriber leaving only moves one already served. */
    int next;
    int written;

    Delivery(EventRun run, Slots slots) {
      this.run = run;
      this.slots = slots;
      this.next = slots.size - 1;
    }

    /**
     * Serves up to {@code budget} slots; returns how many it visited. Between slices subscribers
     * may come and go: one that joins is not served (it reads this run from the store), one that
     * moves into an unserved slot may be served twice (its position check drops the second).
     */
    int deliverUpTo(int budget) {
      int stop = Math.max(-1, next - budget);
      for (int i = next; i > stop; i--) {
        if (i < slots.size) {
          written += slots.subscribers[i].onRun(slots.topicIndexes[i], run);
        }
      }
      int visited = next - stop;
      next = stop;
      return visited;
    }

    boolean done() {
      return next < 0;
    }
  }

  private static final class Slots {
    Subscriber[] subscribers = new Subscriber[4];
    int[] topicIndexes = new int[4];
    int size;

    void add(Subscriber subscriber, int topicIndex) {
      if (size == subscribers.length) {
        subscribers = Arrays.copyOf(subscribers, size * 2);
        topicIndexes = Arrays.copyOf(topicIndexes, size * 2);
      }
      subscribers[size] = subscriber;
      topicIndexes[size] = topicIndex;
      subscriber.slots()[topicIndex] = size;
      size++;
    }

    void remove(int slot) {
      int last = --size;
      if (slot != last) {
        subscribers[slot] = subscribers[last];
        topicIndexes[slot] = topicIndexes[last];
        subscribers[slot].slots()[topicIndexes[slot]] = slot;
      }
      subscribers[last] = null;
    }
  }
}
