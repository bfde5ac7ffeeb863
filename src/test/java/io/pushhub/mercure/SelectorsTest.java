package io.pushhub.mercure;

import com.sun.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Topic selectors as the protocol's "Topic Selectors" section defines them. */
class SelectorsTest {

  private static boolean matches(String selector, String topic) {
    return Selectors.of(List.of(selector)).matches(topic);
  }

  @Test
  void starMatchesEveryTopic() {
    assertThat(matches("*", "https://example.com/books/1")).isTrue();
    assertThat(matches("*", "any string at all")).isTrue();
  }

  @Test
  void aRawStringMatchesOnlyItself() {
    assertThat(matches("bar", "bar")).isTrue();
    assertThat(matches("bar", "bars")).isFalse();
    assertThat(matches("https://example.com/foo", "https://example.com/foo")).isTrue();
    assertThat(matches("https://example.com/foo", "https://example.com/foo/1")).isFalse();
  }

  @Test
  void aTemplateMatchesItsExpansionsAndItself() {
    String books = "https://example.com/books/{id}";
    assertThat(matches(books, "https://example.com/books/1")).isTrue();
    assertThat(matches(books, "https://example.com/books/the-hobbit_1.2~3")).isTrue();
    assertThat(matches(books, "https://example.com/books/caf%C3%A9")).isTrue();
    assertThat(matches(books, books)).isTrue();
    assertThat(matches(books, "https://example.com/books/1/chapters")).isFalse();
    assertThat(matches(books, "https://example.com/authors/1")).isFalse();
    assertThat(matches(books, "https://example.com/books/a b")).isFalse();
  }

  @Test
  void theSpecsPrivateUpdateExampleMatchesItsClaimTemplate() {
    String claim = "https://example.com/users/foo/{?topic}";
    assertThat(matches(claim, "https://example.com/users/foo/?topic=https%3A%2F%2Fexample.com%2Fbooks%2F1")).isTrue();
    assertThat(matches(claim, "https://example.com/users/foo/?topic=https://example.com/books/1")).isFalse();
    assertThat(matches(claim, "https://example.com/users/bar/?topic=x")).isFalse();
  }

  @Test
  void operatorsMatchWhatTheyExpandTo() {
    assertThat(matches("https://example.com{+path}", "https://example.com/foo/bar?x=1")).isTrue();
    assertThat(matches("https://example.com/{id}", "https://example.com/foo/bar")).isFalse();
    assertThat(matches("https://example.com{/path*}", "https://example.com/a/b/c")).isTrue();
    assertThat(matches("https://example.com{/a,b}", "https://example.com/x/y")).isTrue();
    assertThat(matches("https://example.com{/a,b}", "https://example.com/x/y/z")).isFalse();
    assertThat(matches("https://example.com/x{#frag}", "https://example.com/x#a/b")).isTrue();
    assertThat(matches("https://example.com/file{.ext}", "https://example.com/file.json")).isTrue();
    assertThat(matches("https://example.com/m{;x,y}", "https://example.com/m;x=1;y=2")).isTrue();
    assertThat(matches("https://example.com/s{?a,b}", "https://example.com/s?a=1&b=2")).isTrue();
    assertThat(matches("https://example.com/s{?a,b}", "https://example.com/s?a=1&b=2&c=3")).isFalse();
    assertThat(matches("https://example.com/s?a=1{&b}", "https://example.com/s?a=1&b=2")).isTrue();
    assertThat(matches("https://example.com/{id:3}", "https://example.com/abc")).isTrue();
  }

  @Test
  void anExpressionMayExpandToNothing() {
    assertThat(matches("https://example.com/books/{id}", "https://example.com/books/")).isTrue();
    assertThat(matches("https://example.com/s{?q}", "https://example.com/s")).isTrue();
  }

  @Test
  void anInvalidTemplateIsARawString() {
    for (String invalid : List.of("https://example.com/{id", "https://example.com/{=id}", "a b/{id}",
      "https://example.com/{id}}", "https://example.com/{i d}", "https://example.com/{id:0}", "x/{id:10000}",
      "x/{.}", "x/{a..b}", "x/%zz/{id}")) {
      assertThat(UriTemplate.compile(invalid)).as(invalid).isNull();
      assertThat(matches(invalid, invalid)).as(invalid).isTrue();
      assertThat(matches(invalid, "https://example.com/1")).as(invalid).isFalse();
    }
    assertThat(matches("will-not-match}", "will-not-match}")).isTrue();
  }

  @Test
  void severalSelectorsMatchWhenOneDoes() {
    Selectors selectors = Selectors.of(List.of("foo", "https://example.net/foo/{random}"));
    assertThat(selectors.matches("foo")).isTrue();
    assertThat(selectors.matches("https://example.net/foo/abc")).isTrue();
    assertThat(selectors.matches("https://example.net/bar/abc")).isFalse();
    assertThat(selectors.matchesAny(List.of("nope", "https://example.net/foo/x"))).isTrue();
    assertThat(selectors.matchesEvery(List.of("foo", "https://example.net/foo/x"))).isTrue();
    assertThat(selectors.matchesEvery(List.of("foo", "nope"))).isFalse();
    assertThat(Selectors.none().matches("foo")).isFalse();
    assertThat(Selectors.none().matchesEvery(List.of("foo"))).isFalse();
  }

  @Test
  void cachedAnswersStayRightWhenTopicsShareASlot() {
    Selectors selectors = Selectors.of(List.of("https://example.com/books/{id}"));
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 2000; i++) {
        assertThat(selectors.matches("https://example.com/books/" + i)).isTrue();
        assertThat(selectors.matches("https://example.com/other/" + i)).isFalse();
      }
    }
  }

  @Test
  void aCachedAnswerAllocatesNothing() {
    Selectors selectors = Selectors.of(List.of("https://example.com/books/{id}", "https://example.com/{+rest}"));
    List<String> topics = List.of("https://example.com/books/1", "https://example.com/a/b", "urn:other");
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    boolean sink = false;
    for (int i = 0; i < 20_000; i++) {
      sink ^= selectors.matches(topics.get(i % 3));
    }
    long before = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < 100_000; i++) {
      sink ^= selectors.matches(topics.get(i % 3));
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    assertThat(allocated).as("bytes allocated by 100,000 cached answers (%s)", sink).isLessThan(10_000);
  }

  @Test
  void matchingTimeIsLinearEvenForAdversarialTemplates() {
    Selectors selectors = Selectors.of(List.of("{a}{b}{c}{d}{e}{f}{g}{h}{i}{j}{k}{l}!"));
    String topic = "a".repeat(5_000) + "?";
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThat(selectors.matches(topic)).isFalse());
  }

  @Test
  void atMostAThousandSelectors() {
    assertThat(Selectors.of(Collections.nCopies(Selectors.MAX, "x")).raw()).containsExactly("x");
    assertThatThrownBy(() -> Selectors.of(Collections.nCopies(Selectors.MAX + 1, "x")))
      .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void equalSetsAreEqual() {
    assertThat(Selectors.of(List.of("a", "b/{x}"))).isEqualTo(Selectors.of(List.of("b/{x}", "a", "a")));
    assertThat(Selectors.of(List.of("a"))).isNotEqualTo(Selectors.of(List.of("a", "b")));
  }
}
