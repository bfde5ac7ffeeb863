package io.pushhub.delivery;

import io.pushhub.broadcast.Audience;
import io.pushhub.broadcast.EventRun;
import io.pushhub.broadcast.LocalSubscribers;
import io.pushhub.broadcast.SharedEvent;
import io.pushhub.metrics.HubMetrics;
import io.vertx.core.Context;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One verticle instance's delivery: takes the events the fan-out hands over onto the instance's
 * event loop, gathers those of one loop turn into one {@link EventRun} per topic, and hands each
 * run to the subscribers its {@link Routes} give: for pushhub's streams, the topic's subscribers
 * in the instance's {@link LocalSubscribers}.
 *
 * <p>Runs are delivered in slices ({@link SliceScheduler}): each slice's subscribers are written,
 * then flushed at once, and the next slice waits for the event loop's next poll of its sockets.
 * Runs go out strictly in arrival order, each whole before the next.
 */
public final class RunDelivery implements Consumer<SharedEvent> {

  /** Who a run is for on this instance. */
  @FunctionalInterface
  public interface Routes {
    /**
     * Adds to {@code into} the audiences {@code run} is served to, one after the other; a
     * subscriber in several is handed the run several times, in a row for the run.
     */
    void route(EventRun run, List<Audience> into);
  }

  private final Context context;
  private final Routes routes;
  private final SliceScheduler slices;
  private final Runnable flushWritten;
  private final HubMetrics metrics;
  private final LongSupplier clockMicros;
  /** Events that arrived since the last take, per topic in arrival order; each topic's become one run. */
  private final Map<String, EventRun> arrived = new HashMap<>();
  private final List<EventRun> runs = new ArrayList<>();
  private final List<Audience> audiences = new ArrayList<>();
  /** Runs being delivered, in arrival order; the head one a slice at a time. */
  private final ArrayDeque<Pass> passes = new ArrayDeque<>();
  /** A slice is on its way: arrivals wait for it. */
  private boolean sliceScheduled;

  /** @param flushWritten flushes the subscribers written to since it last ran; called after each slice */
  public RunDelivery(Context context, LocalSubscribers subscribers, HubMetrics metrics, LongSupplier clockMicros,
                     Runnable flushWritten) {
    this(context, byTopic(subscribers), metrics, clockMicros, flushWritten);
  }

  public RunDelivery(Context context, Routes routes, HubMetrics metrics, LongSupplier clockMicros,
                     Runnable flushWritten) {
    this.context = context;
    this.routes = routes;
    this.slices = new SliceScheduler(context);
    this.metrics = metrics;
    this.clockMicros = clockMicros;
    this.flushWritten = flushWritten;
  }

  private static Routes byTopic(LocalSubscribers subscribers) {
    return (run, into) -> {
      LocalSubscribers.Slots slots = subscribers.of(run.topic());
      if (slots != null) {
        into.add(slots);
      }
    };
  }

  /** Hands {@code event} to this instance's event loop for delivery; callable from any thread. */
  @Override
  public void accept(SharedEvent event) {
    context.runOnContext(v -> arrive(event));
  }

  /**
   * Events queued on this loop while it was busy all arrive before the slice task queued after
   * the first of them, and those that arrive while a delivery is under way wait for it to end:
   * the busier the loop, the longer the runs, the fewer writes per event.
   */
  private void arrive(SharedEvent event) {
    String topic = event.event().topic();
    EventRun run = arrived.get(topic);
    if (run == null) {
      run = new EventRun(topic);
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
    while (budget > 0 && (!passes.isEmpty() || takeArrived())) {
      Pass pass = passes.peek();
      budget -= pass.deliverUpTo(budget);
      if (pass.done()) {
        passes.poll();
        delivered(pass);
      }
    }
    flushWritten.run();
    if (!passes.isEmpty() || !runs.isEmpty()) {
      sliceScheduled = true;
      slices.afterPoll(this::deliverSlice);
    }
  }

  /** The runs that arrived since the last take become passes; whether there are any. */
  private boolean takeArrived() {
    for (int r = 0; r < runs.size(); r++) {
      EventRun run = runs.get(r);
      routes.route(run, audiences);
      if (!audiences.isEmpty()) {
        passes.add(new Pass(run, audiences.toArray(new Audience[0])));
        audiences.clear();
      }
    }
    runs.clear();
    arrived.clear();
    return !passes.isEmpty();
  }

  private void delivered(Pass pass) {
    if (pass.written > 0) {
      metrics.delivered(pass.written);
      long now = clockMicros.getAsLong();
      for (int e = 0; e < pass.run.size(); e++) {
        metrics.deliveryLatencyMicros(now - pass.run.get(e).event().publishedAtMicros());
      }
    }
  }

  /** One run on its way to its audiences here, one after the other. */
  private static final class Pass {
    final EventRun run;
    final Audience[] audiences;
    /** The audience being served, and its next index: backwards, so that a subscriber leaving only moves one already served. */
    int audience;
    int next;
    int written;

    Pass(EventRun run, Audience[] audiences) {
      this.run = run;
      this.audiences = audiences;
      this.next = audiences[0].size() - 1;
    }

    /**
     * Serves up to {@code budget} subscribers; returns how many it visited. Between slices
     * subscribers may come and go: one that joins is not served (it reads this run from the
     * store), one that moves into an unserved slot may be served twice (its position check drops
     * the second).
     */
    int deliverUpTo(int budget) {
      int visited = 0;
      while (visited < budget && !done()) {
        if (next < 0) {
          next = audiences[++audience].size() - 1;
          continue;
        }
        Audience to = audiences[audience];
        int stop = Math.max(-1, next - (budget - visited));
        for (int i = next; i > stop; i--) {
          if (i < to.size()) {
            written += to.serve(i, run);
          }
        }
        visited += next - stop;
        next = stop;
      }
      return visited;
    }

    boolean done() {
      return next < 0 && audience == audiences.length - 1;
    }
  }
}
