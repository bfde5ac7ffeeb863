package io.pushhub.broadcast;

import io.netty.buffer.ByteBuf;
import io.pushhub.config.HubConfig;
import io.pushhub.event.EncodedEvent;
import io.pushhub.event.Event;
import io.pushhub.event.SseEncoder;
import io.pushhub.metrics.HubMetrics;
import io.pushhub.replay.MemoryReplayStore;
import io.pushhub.support.Await;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Events that queue while an instance's loop is busy reach its streams as one run, in order. */
class EventRunTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  void eventsQueuedBehindABusyLoopArriveAsOneRun() throws Exception {
    MemoryReplayStore store = new MemoryReplayStore(new HubConfig.Replay(1000, 300), () -> 0L);
    NodeFanout fanout = new NodeFanout(vertx, store, 50);
    Context instance = vertx.getOrCreateContext();
    LocalSubscribers subscribers = new LocalSubscribers(instance, HubMetrics.noop(), () -> 0L, () -> { });
    fanout.register(subscribers);
    List<EventRun> runs = new ArrayList<>();
    int[] slots = new int[1];
    Subscriber recorder = new Subscriber() {
      @Override
      public boolean onEvent(int topicIndex, EncodedEvent event) {
        EventRun single = new EventRun();
        single.add(event);
        return onRun(topicIndex, single) == 1;
      }

      @Override
      public int onRun(int topicIndex, EventRun run) {
        synchronized (runs) {
          runs.add(run);
        }
        return run.size();
      }

      @Override
      public int[] slots() {
        return slots;
      }
    };
    instance.runOnContext(v -> subscribers.add("t", 0, recorder));
    await().until(() -> fanout.orderedTopics() == 1);

    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      events.add(Await.result(store.append(new Event("t", null, null, "d" + i, null, 0))).event());
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
    busy.await();
    // As the fan-out hands them over, while the instance's loop is busy: all five queue behind it.
    events.forEach(event -> subscribers.deliver(SseEncoder.encode(event)));
    release.countDown();

    await().until(() -> {
      synchronized (runs) {
        return runs.stream().mapToInt(EventRun::size).sum() == 5;
      }
    });
    EventRun run = runs.get(0);
    assertThat(runs).hasSize(1);
    assertThat(run.consecutive()).isTrue();
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      assertThat(run.get(i).event().position().seq()).isEqualTo(i + 1);
      ByteBuf chunk = run.get(i).chunk();
      expected.append(chunk.toString(chunk.readerIndex(), chunk.readableBytes(), StandardCharsets.UTF_8));
    }
    ByteBuf all = run.chunks();
    assertThat(all.toString(all.readerIndex(), all.readableBytes(), StandardCharsets.UTF_8)).isEqualTo(expected.toString());
    assertThat(run.frameBytes()).isEqualTo(run.frames().length());
  }
}
