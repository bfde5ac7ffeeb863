package io.pushhub.mercure;

import io.pushhub.broadcast.EventRun;
import io.pushhub.broadcast.LocalSubscribers;
import io.pushhub.broadcast.SharedEvent;
import io.pushhub.broadcast.Subscriber;
import io.pushhub.event.Event;
import io.pushhub.metrics.HubMetrics;
import io.vertx.core.Context;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Mercure subscribers of one verticle instance and their delivery. Exact selectors sit in a
 * {@link LocalSubscribers} index that routes an update by its canonical topic and by each
 * alternate; subscribers with {@code *} or URI templates are grouped by their pattern selectors,
 * and each group is matched once per update (its {@link Selectors} cache the answer per topic).
 *
 * <p>Updates are served one at a time, to every subscriber they reach, before the next: so a
 * subscriber reached by several of an update's topics, or by a name and a pattern, is handed the
 * same event in a row and writes it once. Confined to the instance's event loop, but for
 * {@link #accept}.
 */
public final class MercureSubscribers implements Consumer<SharedEvent> {

  private final Context context;
  private final LocalSubscribers exact = new LocalSubscribers(true);
  private final Map<Selectors, List<Subscriber>> groups = new HashMap<>();
  /** The groups as delivery walks them, remade when one comes or goes. */
  private Group[] walk = new Group[0];
  private final HubMetrics metrics;
  private final Runnable flushWritten;

  /** @param flushWritten flushes the streams written to since it last ran; called after each update */
  public MercureSubscribers(Context context, HubMetrics metrics, Runnable flushWritten) {
    this.context = context;
    this.metrics = metrics;
    this.flushWritten = flushWritten;
  }

  /** The index the node's fan-out reads: which topics, and whether patterns, this instance wants. */
  public LocalSubscribers index() {
    return exact;
  }

  /** Subscribes to each of {@code topics} under its index as key, and to what {@code patterns} match. */
  void add(Subscriber subscriber, List<String> topics, Selectors patterns) {
    for (int i = 0; i < topics.size(); i++) {
      exact.add(topics.get(i), i, subscriber);
    }
    if (!patterns.isEmpty()) {
      groups.computeIfAbsent(patterns, p -> new ArrayList<>()).add(subscriber);
      exact.addPatternSubscriber();
      rewalk();
    }
  }

  void remove(Subscriber subscriber, List<String> topics, Selectors patterns) {
    for (int i = 0; i < topics.size(); i++) {
      exact.remove(topics.get(i), i, subscriber);
    }
    List<Subscriber> group = patterns.isEmpty() ? null : groups.get(patterns);
    if (group != null && group.remove(subscriber)) {
      exact.removePatternSubscriber();
      if (group.isEmpty()) {
        groups.remove(patterns);
      }
      rewalk();
    }
  }

  /** Takes an update onto this instance's event loop; callable from any thread. */
  @Override
  public void accept(SharedEvent event) {
    context.runOnContext(v -> deliver(event));
  }

  private void deliver(SharedEvent shared) {
    Event event = shared.event();
    EventRun run = new EventRun(event.topic());
    run.add(shared);
    int written = serve(event.topic(), run);
    List<String> alternates = event.alternates();
    for (int i = 0; i < alternates.size(); i++) {
      written += serve(alternates.get(i), run);
    }
    Group[] matching = walk;
    for (Group group : matching) {
      if (group.selectors.matches(event.topic()) || group.selectors.matchesAny(alternates)) {
        // Backwards: a subscriber that leaves meanwhile only moves one already served.
        for (int i = group.members.size() - 1; i >= 0; i--) {
          if (i < group.members.size()) {
            written += group.members.get(i).onRun(-1, run);
          }
        }
      }
    }
    flushWritten.run();
    if (written > 0) {
      metrics.delivered(written);
    }
  }

  private int serve(String topic, EventRun run) {
    LocalSubscribers.Slots slots = exact.of(topic);
    int written = 0;
    for (int i = slots == null ? -1 : slots.size() - 1; i >= 0; i--) {
      if (i < slots.size()) {
        written += slots.serve(i, run);
      }
    }
    return written;
  }

  private void rewalk() {
    walk = groups.entrySet().stream().map(e -> new Group(e.getKey(), e.getValue())).toArray(Group[]::new);
  }

  private record Group(Selectors selectors, List<Subscriber> members) {
  }
}
