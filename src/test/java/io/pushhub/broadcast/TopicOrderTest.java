package io.pushhub.broadcast;

import io.pushhub.config.HubConfig;
import io.pushhub.delivery.RunDelivery;
import io.pushhub.event.Event;
import io.pushhub.event.Position;
import io.pushhub.replay.MemoryReplayStore;
import io.pushhub.support.Await;
import io.pushhub.support.FaultyStore;
import io.pushhub.support.RunRecorder;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The node's fan-out restores each topic's log order whatever order events arrive in, as they do
 * when publishes race on several event loops or nodes, and fetches from the store an event that
 * never arrives.
 */
class TopicOrderTest {

  private Vertx vertx;
  private MemoryReplayStore store;
  private NodeFanout fanout;
  private Context instance;
  private LocalSubscribers subscribers;
  private final RunRecorder recorder = new RunRecorder(2);

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    store = new MemoryReplayStore(new HubConfig.Replay(1000, 300), () -> System.currentTimeMillis() * 1000);
    fanout = new NodeFanout(vertx, store, 50, List.of());
    instance = vertx.getOrCreateContext();
    subscribers = new LocalSubscribers();
    fanout.register(subscribers,
      new RunDelivery(instance, subscribers, io.pushhub.metrics.HubMetrics.noop(), () -> 0L, () -> { }));
    instance.runOnContext(v -> subscribers.add("t", 0, recorder));
    await().until(() -> fanout.orderedTopics() == 1);
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  private List<Long> received() {
    return recorder.positions();
  }

  private List<Event> append(int count) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(Await.result(store.append(new Event("t", null, null, "d" + i, null, 0))).event());
    }
    return events;
  }

  @Test
  void reordersEventsThatArriveOutOfOrder() {
    List<Event> events = append(6);
    for (int i : new int[]{1, 0, 3, 2, 5, 4}) {
      fanout.accept(events.get(i));
    }
    await().until(() -> received().size() == 6);
    assertThat(received()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
  }

  @Test
  void dropsDuplicates() {
    List<Event> events = append(3);
    for (int i : new int[]{0, 0, 1, 0, 2, 1, 2}) {
      fanout.accept(events.get(i));
    }
    await().until(() -> received().size() == 3);
    fanout.accept(events.get(2));
    append(1).forEach(fanout::accept);
    await().until(() -> received().size() == 4);
    assertThat(received()).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void fetchesAnEventThatNeverArrivesFromTheStore() {
    List<Event> events = append(5);
    // Event 2 is lost on its way (its publisher's node died after storing it).
    for (int i : new int[]{0, 2, 3, 4}) {
      fanout.accept(events.get(i));
    }
    await().until(() -> received().size() == 5);
    assertThat(received()).containsExactlyElementsOf(LongStream.rangeClosed(1, 5).boxed().toList());
  }

  @Test
  void deliversAnEventStoredBeforeTheTopicWasOrderedButArrivingAfter() {
    // A stream read the store (empty), then this event was stored, then the node started ordering
    // the topic from the store's head (which now includes it), and only then did the event arrive.
    Event stored = Await.result(store.append(new Event("late", null, null, "d", null, 0))).event();
    instance.runOnContext(v -> subscribers.add("late", 1, recorder));
    await().until(() -> fanout.orderedTopics() == 2);
    fanout.accept(stored);
    await().until(() -> received().size() == 1);
    assertThat(received()).containsExactly(1L);
  }

  /** A new stream starts where the node has delivered the topic, so every later event reaches it. */
  @Test
  void aNewStreamStartsAtWhatTheNodeHasDelivered() {
    List<Event> events = append(3);
    events.forEach(fanout::accept);
    await().until(() -> received().size() == 3);
    assertThat(Await.result(fanout.startPositions(new String[]{"t"}))).containsExactly(events.get(2).position());
  }

  /**
   * A stream that waits for a follow that fails fails too (the order's first follow fails, and so
   * does the one the stream's start asks for); the next stream's start follows again, and starts.
   */
  @Test
  void aFailedFollowFailsTheWaitingStreamsAndTheNextStartFollowsAgain() {
    FaultyStore faulty = new FaultyStore(store);
    faulty.failFollows(2);
    NodeFanout flaky = new NodeFanout(vertx, faulty, 50, List.of());
    assertThatThrownBy(() -> Await.result(flaky.startPositions(new String[]{"f"}))).hasMessageContaining("unreachable");
    assertThat(Await.result(flaky.startPositions(new String[]{"f"}))).containsExactly(Position.START);
  }
}
