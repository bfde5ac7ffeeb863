package io.pushhub.broadcast;

import io.pushhub.event.Event;
import io.pushhub.event.Position;
import io.vertx.core.Future;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The topic → subscribers index of one verticle instance. Changed and iterated only on the
 * instance's event loop; {@link NodeFanout} reads which topics it holds from its own thread.
 * Subscribers sit in arrays with swap-removal, so that delivery is a plain loop and a thousand
 * streams leaving a topic cost a thousand constant-time removals. How runs are cut into slices
 * and flushed is the endpoint's business: it serves a topic's {@link Slots} as it sees fit.
 *
 * <p>An index may also route events by their alternate topics (Mercure's), and count subscribers
 * that match topics by pattern rather than by name: the fan-out then hands it every event.
 */
public final class LocalSubscribers {

  private final Map<String, Slots> byTopic = new ConcurrentHashMap<>();
  private final boolean routesAlternates;
  private final AtomicInteger patternSubscribers = new AtomicInteger();
  private NodeFanout fanout;

  /** An index of subscribers to canonical topics only, as pushhub's streams are. */
  public LocalSubscribers() {
    this(false);
  }

  /** @param routesAlternates whether an event is also for the subscribers of its alternate topics */
  public LocalSubscribers(boolean routesAlternates) {
    this.routesAlternates = routesAlternates;
  }

  void attach(NodeFanout fanout) {
    this.fanout = fanout;
  }

  /** Subscribes {@code subscriber} to {@code topic} under its {@code key} (an index into its {@link Subscriber#slots()}). */
  public void add(String topic, int key, Subscriber subscriber) {
    Slots slots = byTopic.get(topic);
    if (slots == null) {
      slots = new Slots();
      byTopic.put(topic, slots);
      fanout.interest(topic);
    }
    slots.add(subscriber, key);
  }

  public void remove(String topic, int key, Subscriber subscriber) {
    Slots slots = byTopic.get(topic);
    int slot = subscriber.slots()[key];
    if (slots == null || slot < 0 || slot >= slots.size || slots.subscribers[slot] != subscriber) {
      return;
    }
    slots.remove(slot);
    subscriber.slots()[key] = -1;
    if (slots.size == 0) {
      byTopic.remove(topic);
      fanout.noInterest(topic);
    }
  }

  /**
   * Where streams just added here for {@code topics} start: for each, the position after which the
   * node hands them every event of the topic. Completes on the caller's context.
   */
  public Future<List<Position>> startPositions(String[] topics) {
    return fanout.startPositions(topics);
  }

  /** Callable from any thread. */
  public boolean hasSubscribers(String topic) {
    return byTopic.containsKey(topic);
  }

  /** A subscriber that matches topics by pattern joined; the endpoint matches each event itself. */
  public void addPatternSubscriber() {
    if (patternSubscribers.incrementAndGet() == 1) {
      fanout.patternsChanged();
    }
  }

  public void removePatternSubscriber() {
    if (patternSubscribers.decrementAndGet() == 0) {
      fanout.patternsChanged();
    }
  }

  /** Whether a subscriber here matches topics by pattern; callable from any thread. */
  boolean hasPatternSubscribers() {
    return patternSubscribers.get() > 0;
  }

  /** Whether some subscriber here may want {@code event}; callable from any thread. */
  public boolean wants(Event event) {
    if (hasPatternSubscribers() || byTopic.containsKey(event.topic())) {
      return true;
    }
    if (routesAlternates) {
      List<String> alternates = event.alternates();
      for (int i = 0; i < alternates.size(); i++) {
        if (byTopic.containsKey(alternates.get(i))) {
          return true;
        }
      }
    }
    return false;
  }

  /** The subscribers of {@code topic} here, or null; call on this instance's event loop. */
  public Slots of(String topic) {
    return byTopic.get(topic);
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

  /**
   * One topic's subscribers here. A subscriber leaving moves the last one into its slot, so a
   * delivery that serves slots from the last down only ever moves one it already served.
   */
  public static final class Slots implements Audience {
    private Subscriber[] subscribers = new Subscriber[4];
    private int[] keys = new int[4];
    private int size;

    @Override
    public int size() {
      return size;
    }

    public Subscriber subscriber(int slot) {
      return subscribers[slot];
    }

    @Override
    public int serve(int slot, EventRun run) {
      return subscribers[slot].onRun(keys[slot], run);
    }

    private void add(Subscriber subscriber, int key) {
      if (size == subscribers.length) {
        subscribers = Arrays.copyOf(subscribers, size * 2);
        keys = Arrays.copyOf(keys, size * 2);
      }
      subscribers[size] = subscriber;
      keys[size] = key;
      subscriber.slots()[key] = size;
      size++;
    }

    private void remove(int slot) {
      int last = --size;
      if (slot != last) {
        subscribers[slot] = subscribers[last];
        keys[slot] = keys[last];
        subscribers[slot].slots()[keys[slot]] = slot;
      }
      subscribers[last] = null;
    }
  }
}
