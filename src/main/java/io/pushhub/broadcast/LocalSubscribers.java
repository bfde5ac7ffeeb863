package io.pushhub.broadcast;

import io.pushhub.event.EncodedEvent;
import io.pushhub.metrics.HubMetrics;
import io.vertx.core.Context;

import java.util.Arrays;
import java.util.HashMap;
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
    context.runOnContext(v -> deliverHere(event));
  }

  private void deliverHere(EncodedEvent event) {
    Slots slots = byTopic.get(event.event().topic());
    if (slots == null) {
      return;
    }
    int written = 0;
    // Backwards, so that a subscriber that leaves during delivery only moves one already served.
    for (int i = slots.size - 1; i >= 0; i--) {
      if (i < slots.size && slots.subscribers[i].onEvent(slots.topicIndexes[i], event)) {
        written++;
      }
    }
    if (written > 0) {
      metrics.delivered(written);
      metrics.deliveryLatencyMicros(clockMicros.getAsLong() - event.event().publishedAtMicros());
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
