package io.pushhub.mercure;

import io.pushhub.broadcast.Audience;
import io.pushhub.broadcast.EventRun;
import io.pushhub.broadcast.LocalSubscribers;
import io.pushhub.broadcast.SharedEvent;
import io.pushhub.broadcast.Subscriber;
import io.pushhub.delivery.RunDelivery;
import io.pushhub.metrics.HubMetrics;
import io.vertx.core.Context;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The Mercure subscribers of one verticle instance and their delivery. Exact selectors sit in a
 * {@link LocalSubscribers} index that routes an update by its canonical topic and by each
 * alternate; subscribers with {@code *} or URI templates are grouped by their pattern selectors,
 * and each group is matched once per run (its {@link Selectors} cache the answer per topic), only
 * when its {@link PatternIndex} entry says that it could match one of the run's topics.
 *
 * <p>Delivery is pushhub's own ({@link RunDelivery}): the updates of one loop turn become one run
 * per canonical topic, served in slices and flushed after each. A run goes to the subscribers of
 * its topic, then to those of its updates' alternates, then to the matching groups, one after
 * the other: a subscriber reached several ways is handed the same run in a row, and writes it on
 * the first (see {@link MercureFlow#onRun}). Confined to the instance's event loop, but for
 * {@link #accept}.
 */
public final class MercureSubscribers implements Consumer<SharedEvent> {

  private final LocalSubscribers exact = new LocalSubscribers(true);
  private final Map<Selectors, Group> groups = new HashMap<>();
  private final PatternIndex<Group> patterns = new PatternIndex<>();
  /** The groups that could match the run being routed, each once. */
  private final List<Group> candidates = new ArrayList<>();
  private long routed;
  private final Consumer<Group> offer = this::candidate;
  private final HubMetrics metrics;
  private final RunDelivery delivery;

  /** @param flushWritten flushes the streams written to since it last ran; called after each slice */
  public MercureSubscribers(Context context, HubMetrics metrics, LongSupplier clockMicros, Runnable flushWritten) {
    this.metrics = metrics;
    this.delivery = new RunDelivery(context, this::route, metrics, clockMicros, flushWritten);
  }

  /** The index the node's fan-out reads: which topics, and whether patterns, this instance wants. */
  public LocalSubscribers index() {
    return exact;
  }

  HubMetrics metrics() {
    return metrics;
  }

  /**
   * Subscribes to each of {@code topics} under its index as key, and to what {@code patterns}
   * match; returns the selectors of its group, equal to {@code patterns}, whose answers the group's
   * members share.
   */
  Selectors add(Subscriber subscriber, List<String> topics, Selectors patterns) {
    for (int i = 0; i < topics.size(); i++) {
      exact.add(topics.get(i), i, subscriber);
    }
    if (!patterns.isEmpty()) {
      Group group = groups.get(patterns);
      if (group == null) {
        group = new Group(patterns);
        groups.put(patterns, group);
        this.patterns.add(patterns, group);
      }
      group.members.add(subscriber);
      exact.addPatternSubscriber();
      return group.selectors;
    }
    return patterns;
  }

  void remove(Subscriber subscriber, List<String> topics, Selectors patterns) {
    for (int i = 0; i < topics.size(); i++) {
      exact.remove(topics.get(i), i, subscriber);
    }
    Group group = patterns.isEmpty() ? null : groups.get(patterns);
    if (group != null && group.members.remove(subscriber)) {
      exact.removePatternSubscriber();
      if (group.members.isEmpty()) {
        groups.remove(patterns);
        this.patterns.remove(patterns, group);
      }
    }
  }

  /** Takes an update onto this instance's event loop; callable from any thread. */
  @Override
  public void accept(SharedEvent event) {
    delivery.accept(event);
  }

  private void route(EventRun run, List<Audience> into) {
    routed++;
    add(exact.of(run.topic()), into);
    patterns.candidates(run.topic(), offer);
    boolean alternates = false;
    for (int e = 0; e < run.size(); e++) {
      List<String> topics = run.get(e).event().alternates();
      for (int i = 0; i < topics.size(); i++) {
        add(exact.of(topics.get(i)), into);
        patterns.candidates(topics.get(i), offer);
        alternates = true;
      }
    }
    for (int i = 0; i < candidates.size(); i++) {
      Group group = candidates.get(i);
      if (group.selectors.matches(run.topic()) || alternates && matchesAnAlternate(group.selectors, run)) {
        into.add(group);
      }
    }
    candidates.clear();
  }

  private void candidate(Group group) {
    if (group.routed != routed) {
      group.routed = routed;
      candidates.add(group);
    }
  }

  private static void add(Audience audience, List<Audience> into) {
    if (audience != null && !into.contains(audience)) {
      into.add(audience);
    }
  }

  private static boolean matchesAnAlternate(Selectors selectors, EventRun run) {
    for (int e = 0; e < run.size(); e++) {
      if (selectors.matchesAny(run.get(e).event().alternates())) {
        return true;
      }
    }
    return false;
  }

  /** Subscribers with equal pattern selectors, handed runs with no key ({@code -1}). */
  private static final class Group implements Audience {
    final Selectors selectors;
    final List<Subscriber> members = new ArrayList<>();
    /** The route that last made it a candidate. */
    long routed;

    Group(Selectors selectors) {
      this.selectors = selectors;
    }

    @Override
    public int size() {
      return members.size();
    }

    @Override
    public int serve(int index, EventRun run) {
      return members.get(index).onRun(-1, run);
    }
  }
}
