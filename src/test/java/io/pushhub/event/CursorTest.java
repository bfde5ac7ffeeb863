package io.pushhub.event;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CursorTest {

  @Test
  void singleTopicRoundTrip() {
    Position at = new Position(987654321L, 42);
    Map<Integer, Position> parsed = Cursor.parse(Cursor.of("a/b", at));
    assertThat(parsed).containsExactly(Map.entry(Cursor.tag("a/b"), at));
  }

  @Test
  void severalTopicsRoundTrip() {
    int[] tags = {Cursor.tag("a"), Cursor.tag("b"), Cursor.tag("c")};
    Position[] positions = {new Position(5, 1), Position.START, new Position(9, 1000)};
    Map<Integer, Position> parsed = Cursor.parse(Cursor.of(tags, positions));
    assertThat(parsed).hasSize(3).containsEntry(tags[0], positions[0]).containsEntry(tags[1], positions[1])
      .containsEntry(tags[2], positions[2]);
  }

  @Test
  void onlyCursorCharacters() {
    assertThat(Cursor.of("weird topic/ünïcödé", new Position(1L << 39, Long.MAX_VALUE))).matches("[0-9a-z._]+");
  }

  @Test
  void garbageIsNotACursor() {
    for (String bad : new String[]{"", "1", "a.b", "a.b.c.d", "x.1.-2", "A.1.1", "0a.1.1", "1.0.5", "1..1",
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
