package io.pushhub.event;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopicsTest {

  @Test
  void validTopics() {
    for (String ok : new String[]{"a", "a/b/c", "news/ünïcödé", "*", "a b", "x".repeat(256), "é".repeat(128)}) {
      assertThat(Topics.invalidReason(ok)).as(ok).isNull();
    }
  }

  @Test
  void invalidTopics() {
    for (String bad : new String[]{"", "/a", "a/", "a//b", "/", "a\u0000b", "a\nb", "a\u007fb", "a\u0085b",
      "x".repeat(257), "é".repeat(129), "bad\uD800"}) {
      assertThat(Topics.invalidReason(bad)).as(bad).isNotNull();
    }
  }
}
