package io.pushhub.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TopicPatternTest {

  @Test
  void segmentsMatchAsTheSpecSays() {
    assertThat(TopicPattern.of("a/b").matches("a/b")).isTrue();
    assertThat(TopicPattern.of("a/b").matches("a/b/c")).isFalse();
    assertThat(TopicPattern.of("a/*").matches("a/b")).isTrue();
    assertThat(TopicPattern.of("a/*").matches("a/b/c")).isFalse();
    assertThat(TopicPattern.of("a/*").matches("a")).isFalse();
    assertThat(TopicPattern.of("*/b").matches("x/b")).isTrue();
    assertThat(TopicPattern.of("a/**").matches("a/b")).isTrue();
    assertThat(TopicPattern.of("a/**").matches("a/b/c")).isTrue();
    assertThat(TopicPattern.of("a/**").matches("a")).isFalse();
    assertThat(TopicPattern.of("**").matches("anything/at/all")).isTrue();
    assertThat(TopicPattern.of("a/**/c").matches("a/x/c")).isFalse();
    assertThat(TopicPattern.of("a/**/c").matches("a/**/c")).isTrue();
    assertThat(TopicPattern.of("a.b").matches("axb")).isFalse();
    assertThat(TopicPattern.of("a*").matches("abc")).isFalse();
  }
}
