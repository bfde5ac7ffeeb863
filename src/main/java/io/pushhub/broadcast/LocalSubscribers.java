package io.pushhub.broadcast;

import io.pushhub.event.EncodedEvent;
import io.pushhub.metrics.HubMetrics;
import io.vertx.core.Context;

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
 */
public final class LocalSubscribers {

  private final Context context;
  private final HubMetrics metrics;
  private final LongSupplier clockMicros;
  private final Map<String, Slots> byTopic = new ConcurrentHashMap<>();
  /** Events that arrived this turn, per topic in arrival order; delivered together by {@link #drain}. */
  private final Map<String, EventRun> arrived = new HashMap<>();
  private final List<EventRun> runs = new ArrayList<>();
  private boolean drainScheduled;
  private NodeFanout fanout;

  public LocalSubscribers(Context context, HubMetrics metrics, LongSupplier clockMicros) {
    this.context = context;
    this.metrics = metrics;
    this.clockMicros = clockMicros;
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
   * Events queued on this loop while it was busy all arrive before the drain task queued after
   * the first of them: the busier the loop, the longer the runs, the fewer writes per event.
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
    if (!drainScheduled) {
      drainScheduled = true;
      context.runOnContext(v -> drain());
    }
  }

  private void drain() {
    drainScheduled = false;
    for (int r = 0; r < runs.size(); r++) {
      deliverHere(runs.get(r));
    }
    runs.clear();
    arrived.clear();
  }

  private void deliverHere(EventRun run) {
    Slots slots = byTopic.get(run.first().event().topic());
    if (slots == null) {
      return;
    }
    int written = 0;
    // Backwards, so that a subscriber that leaves during delivery only moves one already served.
    for (int i = slots.size - 1; i >= 0; i--) {
      if (i < slots.size) {
        written += slots.subscribers[i].onRun(slots.topicIndexes[i], run);
      }
    }
    if (written > 0) {
      metrics.delivered(written);
      long now = clockMicros.getAsLong();
      for (int e = 0; e < run.size(); e++) {
        metrics.deliveryLatencyMicros(now - run.get(e).event().publishedAtMicros());
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
