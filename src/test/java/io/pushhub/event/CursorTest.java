package io.pushhub.event;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CursorTest {

  @Test
  void singleTopicRoundTrip() {
    Position at = new Position(987654321L, 42);
    Map<Integer, Cursor.Entry> parsed = Cursor.parse(Cursor.of("a/b", at, 12345));
    assertThat(parsed).containsExactly(Map.entry(Cursor.tag("a/b"), new Cursor.Entry(at, 12345)));
  }

  @Test
  void severalTopicsRoundTrip() {
    int[] tags = {Cursor.tag("a"), Cursor.tag("b"), Cursor.tag("c")};
    Position[] positions = {new Position(5, 1), Position.START, new Position(9, 1000)};
    int[] checks = {Event.MAX_CHECK, Cursor.NO_CHECK, Cursor.NO_CHECK};
    Map<Integer, Cursor.Entry> parsed = Cursor.parse(Cursor.of(tags, positions, checks));
    assertThat(parsed).hasSize(3)
      .containsEntry(tags[0], new Cursor.Entry(positions[0], Event.MAX_CHECK))
      .containsEntry(tags[1], new Cursor.Entry(positions[1], Cursor.NO_CHECK))
      .containsEntry(tags[2], new Cursor.Entry(positions[2], Cursor.NO_CHECK));
  }

  @Test
  void cursorsWithoutChecksStillParse() {
    assertThat(Cursor.parse("a.b.c")).containsExactly(Map.entry(10, new Cursor.Entry(new Position(11, 12), Cursor.NO_CHECK)));
  }

  @Test
  void anEventsCheckDependsOnWhatItSaysOnly() {
    Event one = new Event("t", new Position(3, 7), "kind", "hello", null, 1L);
    Event again = new Event("t", new Position(3, 7), "kind", "hello", "key", 99L);
    Event other = new Event("t", new Position(3, 7), "kind", "hellp", null, 1L);
    assertThat(one.check()).isEqualTo(again.check()).isNotEqualTo(other.check()).isBetween(0, Event.MAX_CHECK);
    assertThat(Cursor.parse(one.cursor())).containsEntry(Cursor.tag("t"), new Cursor.Entry(new Position(3, 7), one.check()));
  }

  @Test
  void onlyCursorCharacters() {
    assertThat(Cursor.of("weird topic/ünïcödé", new Position(1L << 39, Long.MAX_VALUE), Event.MAX_CHECK))
      .matches("[0-9a-z._]+");
  }

  @Test
  void garbageIsNotACursor() {
    for (String bad : new String[]{"", "1", "a.b", "a.b.c.d.e", "1.1.0.5", "1.1.1.zzzzz", "x.1.-2", "A.1.1", "0a.1.1", "1.0.5", "1..1",
      "1.1.1_", "_1.1.1", "1.1.1__1.1.1", "zzzzzzzzzzzzzz.1.1", "42", "hello world"}) {
      assertThat(Cursor.parse(bad)).as(bad).isNull();
    }
  }

  @Test
  void positionsFollowAndCover() {
    Position p = new Position(7, 3);
    assertThat(p.isFollowedBy(new Position(7, 4))).isTrue();
    assertThat(p.isFollowedBy(new Position(7, 5))).isFalse();
    assertThat(p.isFollowedBy(new Position(8, 1))).isFalse();
    assertThat(Position.START.isFollowedBy(new Position(8, 1))).isTrue();
    assertThat(new Position(8, 0).isFollowedBy(new Position(8, 1))).isTrue();
    assertThat(p.covers(new Position(7, 3))).isTrue();
    assertThat(p.covers(new Position(7, 4))).isFalse();
    assertThat(p.covers(new Position(6, 1))).isFalse();
  }
}
