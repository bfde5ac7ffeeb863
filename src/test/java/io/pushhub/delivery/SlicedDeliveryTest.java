package io.pushhub.delivery;

import io.pushhub.broadcast.EventRun;
import io.pushhub.broadcast.LocalSubscribers;
import io.pushhub.broadcast.NodeFanout;
import io.pushhub.broadcast.SharedEvent;
import io.pushhub.broadcast.Subscriber;
import io.pushhub.config.HubConfig;
import io.pushhub.event.Event;
import io.pushhub.metrics.HubMetrics;
import io.pushhub.replay.MemoryReplayStore;
import io.pushhub.support.Await;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A run reaches an instance's subscribers a slice at a time, each slice flushed before the next,
 * the runs in order, while subscribers leave and join between and during slices.
 */
class SlicedDeliveryTest {

  private final Vertx vertx = Vertx.vertx();
  private int writtenSinceFlush;
  private int mostWrittenBetweenFlushes;

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  void runsReachEverySubscriberSliceBySliceInOrderWhileOthersComeAndGo() {
    MemoryReplayStore store = new MemoryReplayStore(new HubConfig.Replay(1000, 300), () -> 0L);
    NodeFanout fanout = new NodeFanout(vertx, store, 50, List.of());
    Context instance = vertx.getOrCreateContext();
    AtomicInteger flushes = new AtomicInteger();
    LocalSubscribers subscribers = new LocalSubscribers();
    RunDelivery delivery = new RunDelivery(instance, subscribers, HubMetrics.noop(), () -> 0L, () -> {
      flushes.incrementAndGet();
      mostWrittenBetweenFlushes = Math.max(mostWrittenBetweenFlushes, writtenSinceFlush);
      writtenSinceFlush = 0;
    });
    fanout.register(subscribers, delivery);

    List<Recorder> original = new ArrayList<>();
    List<Recorder> leaving = new ArrayList<>();
    instance.runOnContext(v -> {
      for (int i = 0; i < 3 * SliceScheduler.SLICE; i++) {
        Recorder recorder = new Recorder();
        original.add(recorder);
        subscribers.add("t", 0, recorder);
      }
      // Served first (slots go backwards): on its first event, unserved ones leave and new ones join.
      Recorder last = original.get(original.size() - 1);
      leaving.addAll(original.subList(0, 40));
      last.onFirst = () -> {
        leaving.forEach(r -> subscribers.remove("t", 0, r));
        for (int i = 0; i < 10; i++) {
          subscribers.add("t", 0, new Recorder());
        }
      };
    });
    await().until(() -> fanout.orderedTopics() == 1);

    for (int i = 0; i < 3; i++) {
      Event event = Await.result(store.append(new Event("t", null, null, "d" + i, null, 0))).event();
      delivery.accept(new SharedEvent(event));
    }
    List<Recorder> staying = original.subList(40, original.size());
    await().until(() -> staying.stream().allMatch(r -> r.positions().size() >= 3));

    for (Recorder recorder : staying) {
      // A subscriber moved into an unserved slot may see a run twice, which a stream's position
      // check drops; what passes that check is every event once, in order.
      List<Long> passing = new ArrayList<>();
      for (long position : recorder.positions()) {
        if (passing.isEmpty() || position > passing.get(passing.size() - 1)) {
          passing.add(position);
        }
      }
      assertThat(passing).containsExactly(1L, 2L, 3L);
    }
    for (Recorder recorder : leaving) {
      assertThat(recorder.positions()).isEmpty();
    }
    assertThat(flushes.get()).isGreaterThanOrEqualTo(3);
    assertThat(mostWrittenBetweenFlushes).isLessThanOrEqualTo(SliceScheduler.SLICE);
  }

  private final class Recorder implements Subscriber {
    private final int[] slots = {-1};
    private final List<Long> positions = new ArrayList<>();
    Runnable onFirst;

    @Override
    public int onRun(int topicIndex, EventRun run) {
      writtenSinceFlush++;
      for (int i = 0; i < run.size(); i++) {
        synchronized (positions) {
          positions.add(run.get(i).event().position().seq());
        }
        if (onFirst != null) {
          Runnable first = onFirst;
          onFirst = null;
          first.run();
        }
      }
      return run.size();
    }

    @Override
    public int[] slots() {
      return slots;
    }

    List<Long> positions() {
      synchronized (positions) {
        return new ArrayList<>(positions);
      }
    }
  }
}
