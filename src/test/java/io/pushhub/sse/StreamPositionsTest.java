package io.pushhub.sse;

import io.pushhub.event.Event;
import io.pushhub.event.Position;
import io.pushhub.replay.ReplayStore;
import io.pushhub.sse.StreamPositions.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StreamPositionsTest {

  private static Event event(long seq, String data) {
    return new Event("t", new Position(7, seq), null, data, null, seq);
  }

  @Test
  void anEventAtTheLastPositionSentIsADuplicateWhenItSaysTheSameAndDivergedWhenNot() {
    StreamPositions positions = new StreamPositions(new String[]{"t"});
    positions.startAt(0, new ReplayStore.Replay(List.of(), ReplayStore.Gap.NONE, new Position(7, 2)));
    assertThat(positions.verdict(0, event(3, "seen"))).isEqualTo(Verdict.WRITE);
    positions.advance(0, event(3, "seen"));

    assertThat(positions.verdict(0, event(3, "seen"))).isEqualTo(Verdict.DUPLICATE);
    assertThat(positions.verdict(0, event(2, "anything"))).as("before the last one: no check known").isEqualTo(Verdict.DUPLICATE);
    assertThat(positions.verdict(0, event(3, "another"))).isEqualTo(Verdict.DIVERGED);
    assertThat(positions.verdict(0, event(4, "next"))).isEqualTo(Verdict.WRITE);
    assertThat(positions.verdict(0, event(5, "later"))).isEqualTo(Verdict.GAP);
  }

  @Test
  void aPositionReachedWithoutAnEventHasNoCheckToDisagreeWith() {
    StreamPositions positions = new StreamPositions(new String[]{"t"});
    positions.startAt(0, new ReplayStore.Replay(List.of(), ReplayStore.Gap.NONE, new Position(7, 3)));
    assertThat(positions.verdict(0, event(3, "whatever"))).isEqualTo(Verdict.DUPLICATE);
  }
}
