package io.pushhub.mercure;

import io.pushhub.broadcast.EventRun;
import io.pushhub.broadcast.NodeFanout;
import io.pushhub.broadcast.SharedEvent;
import io.pushhub.config.HubConfig;
import io.pushhub.delivery.SliceScheduler;
import io.pushhub.event.Event;
import io.pushhub.metrics.HubMetrics;
import io.pushhub.replay.MemoryReplayStore;
import io.pushhub.support.Await;
import io.pushhub.support.RunRecorder;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Mercure updates that queue behind a busy loop reach each subscriber as one run, flushed once,
 * however many routes (its topic, an alternate, a pattern) lead to it: handed the same run in a row.
 */
class MercureRunsTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  void updatesQueuedBehindABusyLoopArriveAsOneRunWithOneFlush() throws Exception {
    MemoryReplayStore store = new MemoryReplayStore(new HubConfig.Replay(1000, 300), () -> 0L);
    NodeFanout fanout = new NodeFanout(vertx, store, 50, List.of());
    Context instance = vertx.getOrCreateContext();
    AtomicInteger flushes = new AtomicInteger();
    MercureSubscribers subscribers = new MercureSubscribers(instance, HubMetrics.noop(), () -> 0L, flushes::incrementAndGet);
    fanout.register(subscribers.index(), subscribers);
    RunRecorder byName = new RunRecorder(1);
    RunRecorder byAlternate = new RunRecorder(1);
    RunRecorder everyWay = new RunRecorder(2);
    CountDownLatch subscribed = new CountDownLatch(1);
    instance.runOnContext(v -> {
      subscribers.add(byName, List.of("t"), Selectors.none());
      subscribers.add(byAlternate, List.of("u"), Selectors.none());
      subscribers.add(everyWay, List.of("t", "u"), Selectors.of(List.of("{x}", "*")));
      subscribed.countDown();
    });
    assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();

    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      List<String> alternates = i % 2 == 0 ? List.of("u") : List.of();
      events.add(Await.result(store.append(new Event("t", null, null, "d" + i, null, 0,
        new Event.Mercure(alternates, false, null, 0)))).event());
    }
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    instance.runOnContext(v -> {
      busy.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
    // As the fan-out hands them over, while the instance's loop is busy: all five queue behind it.
    events.forEach(event -> subscribers.accept(new SharedEvent(event)));
    release.countDown();

    await().until(() -> byName.positions().size() == 5 && !byAlternate.runs().isEmpty() && everyWay.runs().size() == 3
      && flushes.get() >= 1);
    EventRun run = byName.runs().get(0);
    assertThat(byName.runs()).containsExactly(run);
    assertThat(run.consecutive()).isTrue();
    assertThat(byName.positions()).containsExactly(1L, 2L, 3L, 4L, 5L);
    // The alternate's subscribers are handed the same run; the stream picks the updates it matches.
    assertThat(byAlternate.runs()).containsExactly(run);
    // By its topic, its alternate and its patterns: the same run three times in a row, written on the first.
    assertThat(everyWay.runs()).containsExactly(run, run, run);
    assertThat(flushes.get()).isEqualTo(1);
  }

  /** A run's audiences (its topic's, its alternate's, pattern groups) are served a slice at a time, each in full. */
  @Test
  void everyAudienceOfARunIsServedAcrossSlices() throws Exception {
    MemoryReplayStore store = new MemoryReplayStore(new HubConfig.Replay(1000, 300), () -> 0L);
    NodeFanout fanout = new NodeFanout(vertx, store, 50, List.of());
    Context instance = vertx.getOrCreateContext();
    AtomicInteger flushes = new AtomicInteger();
    MercureSubscribers subscribers = new MercureSubscribers(instance, HubMetrics.noop(), () -> 0L, flushes::incrementAndGet);
    fanout.register(subscribers.index(), subscribers);
    List<RunRecorder> recorders = new ArrayList<>();
    CountDownLatch subscribed = new CountDownLatch(1);
    instance.runOnContext(v -> {
      for (int i = 0; i < SliceScheduler.SLICE + 10; i++) {
        for (List<String> topics : List.of(List.of("t"), List.of("u"), List.<String>of(), List.<String>of())) {
          RunRecorder recorder = new RunRecorder(1);
          recorders.add(recorder);
          if (!topics.isEmpty()) {
            subscribers.add(recorder, topics, Selectors.none());
          } else {
            // One group for many subscribers, and one group each.
            String template = recorders.size() % 4 == 3 ? "{x}" : "{x" + i + "}";
            subscribers.add(recorder, topics, Selectors.of(List.of(template)));
          }
        }
      }
      subscribed.countDown();
    });
    assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();

    Event event = Await.result(store.append(new Event("t", null, null, "d", null, 0,
      new Event.Mercure(List.of("u"), false, null, 0)))).event();
    subscribers.accept(new SharedEvent(event));

    await().until(() -> recorders.stream().allMatch(r -> r.positions().equals(List.of(1L))));
    assertThat(flushes.get()).isGreaterThanOrEqualTo(3);
  }
}
