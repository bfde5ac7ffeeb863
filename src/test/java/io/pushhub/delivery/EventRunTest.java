package io.pushhub.delivery;

import io.netty.buffer.ByteBuf;
import io.pushhub.broadcast.EventRun;
import io.pushhub.broadcast.LocalSubscribers;
import io.pushhub.broadcast.NodeFanout;
import io.pushhub.broadcast.SharedEvent;
import io.pushhub.config.HubConfig;
import io.pushhub.event.Event;
import io.pushhub.metrics.HubMetrics;
import io.pushhub.replay.MemoryReplayStore;
import io.pushhub.sse.SseEncoder;
import io.pushhub.sse.SseRun;
import io.pushhub.support.Await;
import io.pushhub.support.RunRecorder;
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
    NodeFanout fanout = new NodeFanout(vertx, store, 50, List.of(SseEncoder.FRAMES));
    Context instance = vertx.getOrCreateContext();
    LocalSubscribers subscribers = new LocalSubscribers();
    RunDelivery delivery = new RunDelivery(instance, subscribers, HubMetrics.noop(), () -> 0L, () -> { });
    fanout.register(subscribers, delivery);
    RunRecorder recorder = new RunRecorder(1);
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
    events.forEach(event -> delivery.accept(new SharedEvent(event)));
    release.countDown();

    await().until(() -> recorder.positions().size() == 5);
    List<EventRun> runs = recorder.runs();
    EventRun run = runs.get(0);
    assertThat(runs).hasSize(1);
    assertThat(run.consecutive()).isTrue();
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      assertThat(run.get(i).event().position().seq()).isEqualTo(i + 1);
      ByteBuf chunk = run.get(i).encoded(SseEncoder.FRAMES).chunk();
      expected.append(chunk.toString(chunk.readerIndex(), chunk.readableBytes(), StandardCharsets.UTF_8));
    }
    SseRun frames = run.joined(SseEncoder.FRAMES);
    ByteBuf all = frames.chunks();
    assertThat(all.toString(all.readerIndex(), all.readableBytes(), StandardCharsets.UTF_8)).isEqualTo(expected.toString());
    assertThat(frames.frameBytes()).isEqualTo(frames.frames().length());
    assertThat(run.joined(SseEncoder.FRAMES)).isSameAs(frames);
  }
}
