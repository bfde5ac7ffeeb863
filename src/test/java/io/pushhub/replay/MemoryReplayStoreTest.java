package io.pushhub.replay;

import io.pushhub.config.HubConfig;
import io.pushhub.event.Event;
import io.pushhub.event.Position;
import io.pushhub.support.Await;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The memory store's ageing: what it forgets, and what it keeps for the streams that follow a topic. */
class MemoryReplayStoreTest {

  private final AtomicLong nowMicros = new AtomicLong(1_000_000_000L);
  private final MemoryReplayStore store = new MemoryReplayStore(new HubConfig.Replay(100, 10), nowMicros::get);

  private Position publish(String topic) {
    return Await.result(store.append(new Event(topic, null, null, "d", null, 0))).event().position();
  }

  @Test
  void aQuietTopicThatStreamsFollowKeepsItsEpoch() {
    Position seen = publish("followed");
    nowMicros.addAndGet(60_000_000L);
    store.expire(topic -> topic.equals("followed"));
    Position next = publish("followed");
    assertThat(next.epoch()).isEqualTo(seen.epoch());
    assertThat(next.seq()).isEqualTo(seen.seq() + 1);
    assertThat(Await.result(store.readAfter("followed", seen)).gap()).isEqualTo(ReplayStore.Gap.NONE);
  }

  @Test
  void aQuietTopicThatNobodyFollowsIsForgottenAndComesBackInANewEpoch() {
    Position seen = publish("abandoned");
    nowMicros.addAndGet(60_000_000L);
    store.expire(topic -> false);
    Position next = publish("abandoned");
    assertThat(next.epoch()).isNotEqualTo(seen.epoch());
    assertThat(Await.result(store.readAfter("abandoned", seen)).gap()).isEqualTo(ReplayStore.Gap.UNKNOWN_CURSOR);
  }
}
