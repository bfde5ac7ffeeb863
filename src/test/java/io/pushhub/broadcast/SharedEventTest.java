package io.pushhub.broadcast;

import io.pushhub.config.HubConfig;
import io.pushhub.event.Event;
import io.pushhub.event.Position;
import io.pushhub.replay.MemoryReplayStore;
import io.pushhub.support.Await;
import io.pushhub.support.RunRecorder;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** An event is encoded once per protocol on a node, whoever asks, and its run joined once per instance. */
class SharedEventTest {

  private static final AtomicInteger ENCODED = new AtomicInteger();
  private static final AtomicInteger JOINED = new AtomicInteger();
  /** One per protocol, made once: each takes a slot of every shared event. */
  private static final FrameEncoder<String, String> UPPER = new FrameEncoder<>() {
    @Override
    protected String encode(Event event) {
      ENCODED.incrementAndGet();
      return event.data().toUpperCase();
    }

    @Override
    protected String join(EventRun run) {
      JOINED.incrementAndGet();
      StringBuilder all = new StringBuilder();
      for (int i = 0; i < run.size(); i++) {
        all.append(run.get(i).encoded(this));
      }
      return all.toString();
    }
  };

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  void theFanOutEncodesEachEventOnceBeforeItReachesAnyInstance() {
    MemoryReplayStore store = new MemoryReplayStore(new HubConfig.Replay(1000, 300), () -> 0L);
    NodeFanout fanout = new NodeFanout(vertx, store, 50, List.of(UPPER));
    List<SharedEvent> first = new CopyOnWriteArrayList<>();
    List<SharedEvent> second = new CopyOnWriteArrayList<>();
    List<Integer> encodedAtHandOver = new CopyOnWriteArrayList<>();
    LocalSubscribers one = new LocalSubscribers();
    LocalSubscribers two = new LocalSubscribers();
    fanout.register(one, shared -> {
      encodedAtHandOver.add(ENCODED.get());
      first.add(shared);
    });
    fanout.register(two, second::add);
    RunRecorder idle = new RunRecorder(1);
    one.add("t", 0, idle);
    two.add("t", 0, idle);
    await().until(() -> fanout.orderedTopics() == 1);
    int before = ENCODED.get();

    fanout.accept(Await.result(store.append(new Event("t", null, null, "hello", null, 0))).event());
    await().until(() -> first.size() == 1 && second.size() == 1);

    SharedEvent shared = first.get(0);
    assertThat(second.get(0)).isSameAs(shared);
    assertThat(encodedAtHandOver).containsExactly(before + 1);
    assertThat(shared.encoded(UPPER)).isEqualTo("HELLO").isSameAs(second.get(0).encoded(UPPER));
    assertThat(ENCODED.get()).isEqualTo(before + 1);
  }

  @Test
  void aLazyEncoderRunsOnceAndARunIsJoinedOnce() {
    int before = ENCODED.get();
    int joinedBefore = JOINED.get();
    EventRun run = new EventRun("t");
    SharedEvent a = new SharedEvent(new Event("t", new Position(1, 1), null, "a", null, 0));
    run.add(a);
    run.add(new SharedEvent(new Event("t", new Position(1, 2), null, "b", null, 0)));

    assertThat(run.joined(UPPER)).isEqualTo("AB").isSameAs(run.joined(UPPER));
    assertThat(a.encoded(UPPER)).isSameAs(a.encoded(UPPER));
    assertThat(ENCODED.get() - before).isEqualTo(2);
    assertThat(JOINED.get() - joinedBefore).isEqualTo(1);
  }
}
