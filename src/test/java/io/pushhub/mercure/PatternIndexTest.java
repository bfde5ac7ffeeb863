package io.pushhub.mercure;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Indexed pattern matching answers exactly as matching every selector does, over many random
 * templates (starting with an expression or not, with every operator) and topics, some expansions
 * of the templates, some not; and after selectors leave.
 */
class PatternIndexTest {

  private static final String[] LITERALS = {"a", "b", "/", "x/", "https://e.com/", "%41", ":", "-", "é", "books/"};
  private static final String[] EXPRESSIONS = {"{v}", "{+v}", "{#v}", "{/v}", "{.v}", "{?v}", "{&v}", "{;v}", "{v*}",
    "{+v,w}", "{/v,w}", "{?v,w}", "{v:3}"};
  private static final String[] VALUES = {"", "1", "ab", "a/b", "a,b", "%2F", "x=y", "a.b", "?", "#", "é", "-_~"};

  private final Random random = new Random(20261203);

  private String template() {
    if (random.nextInt(25) == 0) {
      return "*";
    }
    StringBuilder t = new StringBuilder();
    int parts = 1 + random.nextInt(5);
    boolean expression = false;
    for (int i = 0; i < parts; i++) {
      if (random.nextBoolean()) {
        t.append(EXPRESSIONS[random.nextInt(EXPRESSIONS.length)]);
        expression = true;
      } else {
        t.append(LITERALS[random.nextInt(LITERALS.length)]);
      }
    }
    return expression ? t.toString() : t + EXPRESSIONS[random.nextInt(EXPRESSIONS.length)];
  }

  /** An expansion of {@code template} with random values, or random text. */
  private String topic(List<String> templates) {
    if (random.nextInt(4) == 0) {
      StringBuilder t = new StringBuilder();
      for (int i = random.nextInt(6); i >= 0; i--) {
        t.append(random.nextBoolean() ? LITERALS[random.nextInt(LITERALS.length)] : VALUES[random.nextInt(VALUES.length)]);
      }
      return t.toString();
    }
    String template = templates.get(random.nextInt(templates.size()));
    if (random.nextInt(10) == 0) {
      return template;
    }
    StringBuilder t = new StringBuilder();
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '{') {
        int end = template.indexOf('}', i);
        String op = "+#/.?&;".indexOf(template.charAt(i + 1)) >= 0 ? template.substring(i + 1, i + 2) : "";
        String prefix = switch (op) {
          case "+" -> "";
          case "?" -> "?v=";
          case "&" -> "&v=";
          case ";" -> ";v=";
          default -> op;
        };
        t.append(random.nextInt(5) == 0 ? "" : prefix + VALUES[random.nextInt(VALUES.length)]);
        i = end;
      } else {
        t.append(c);
      }
    }
    return t.toString();
  }

  private static Set<Selectors> indexed(PatternIndex<Selectors> index, String topic) {
    Set<Selectors> matched = new LinkedHashSet<>();
    index.candidates(topic, group -> {
      if (group.matches(topic)) {
        matched.add(group);
      }
    });
    return matched;
  }

  private static Set<Selectors> everyOne(List<Selectors> groups, String topic) {
    Set<Selectors> matched = new LinkedHashSet<>();
    for (Selectors group : groups) {
      if (group.matches(topic)) {
        matched.add(group);
      }
    }
    return matched;
  }

  @Test
  void indexedMatchingAnswersAsMatchingEverySelector() {
    PatternIndex<Selectors> index = new PatternIndex<>();
    List<Selectors> groups = new ArrayList<>();
    List<String> templates = new ArrayList<>();
    for (int g = 0; g < 300; g++) {
      List<String> selectors = new ArrayList<>();
      for (int s = random.nextInt(3); s >= 0; s--) {
        String template = template();
        if (Selectors.isPattern(template)) {
          selectors.add(template);
          templates.add(template);
        }
      }
      if (!selectors.isEmpty()) {
        Selectors group = Selectors.of(selectors);
        groups.add(group);
        index.add(group, group);
      }
    }
    assertThat(templates).anyMatch(t -> t.startsWith("{")).anyMatch(t -> t.contains("{+")).anyMatch(t -> t.contains("{#"))
      .contains("*");

    int matches = 0;
    for (int i = 0; i < 4_000; i++) {
      String topic = topic(templates);
      Set<Selectors> expected = everyOne(groups, topic);
      assertThat(indexed(index, topic)).as(topic).isEqualTo(expected);
      matches += expected.size();
    }
    assertThat(matches).as("topics that some template matches").isGreaterThan(4_000);

    // Half the groups leave: the others still answer the same, the ones gone never.
    List<Selectors> staying = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      if (g % 2 == 0) {
        index.remove(groups.get(g), groups.get(g));
      } else {
        staying.add(groups.get(g));
      }
    }
    for (int i = 0; i < 2_000; i++) {
      String topic = topic(templates);
      assertThat(indexed(index, topic)).as(topic).isEqualTo(everyOne(staying, topic));
    }
  }

  @Test
  void aTopicIsOfferedOnlyTheTemplatesWhoseLiteralEndsItHas() {
    PatternIndex<String> index = new PatternIndex<>();
    for (String template : List.of("bench/{x1}/none", "bench/{x2}", "other/{x}", "{+any}", "*")) {
      index.add(Selectors.of(List.of(template)), template);
    }
    List<String> offered = new ArrayList<>();
    index.candidates("bench/17", offered::add);
    assertThat(offered).containsExactlyInAnyOrder("bench/{x2}", "{+any}", "*");
  }
}
