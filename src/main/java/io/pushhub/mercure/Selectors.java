package io.pushhub.mercure;

import com.google.re2j.Pattern;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A set of Mercure topic selectors, compiled once: a topic matches when one selector is {@code *},
 * is the topic itself (so a template also matches itself), or is a URI template the topic
 * matches. The answers for templates are cached per topic in a small direct-mapped table, so a
 * topic seen before is answered without matching nor allocating: the fan-out asks once per event
 * and per subscriber with templates. Safe to share between threads.
 */
public final class Selectors {

  /** Most selectors in one subscription or one claim, as the reference hub allows. */
  public static final int MAX = 1000;
  private static final int CACHE_SLOTS = 256;
  /** Compiled templates shared by every subscriber that uses the same template; bounded. */
  private static final int MAX_SHARED_TEMPLATES = 10_000;
  private static final ConcurrentHashMap<String, Pattern> TEMPLATES = new ConcurrentHashMap<>();
  private static final Pattern NOT_A_TEMPLATE = Pattern.compile("^$");
  private static final Selectors NONE = new Selectors(List.of());

  private final List<String> raw;
  private final boolean all;
  private final Set<String> exact;
  private final Pattern[] templates;
  private volatile Answer[] cache;

  private Selectors(List<String> raw) {
    this.raw = List.copyOf(new LinkedHashSet<>(raw));
    this.all = this.raw.contains("*");
    this.exact = Set.copyOf(this.raw);
    List<Pattern> compiled = new ArrayList<>();
    for (String selector : this.raw) {
      Pattern template = all ? null : template(selector);
      if (template != null) {
        compiled.add(template);
      }
    }
    this.templates = compiled.toArray(new Pattern[0]);
  }

  public static Selectors of(List<String> selectors) {
    if (selectors.size() > MAX) {
      throw new IllegalArgumentException("more than " + MAX + " topic selectors");
    }
    return selectors.isEmpty() ? NONE : new Selectors(selectors);
  }

  /** Whether {@code selector} matches more than its own text: {@code *}, or a URI template. */
  public static boolean isPattern(String selector) {
    return selector.equals("*") || template(selector) != null;
  }

  public static Selectors none() {
    return NONE;
  }

  public List<String> raw() {
    return raw;
  }

  public boolean isEmpty() {
    return raw.isEmpty();
  }

  /** Whether {@code *} is one of the selectors. */
  public boolean matchesAll() {
    return all;
  }

  /** Whether some selector is a URI template, so that matching may need more than a set lookup. */
  public boolean hasTemplates() {
    return templates.length > 0;
  }

  public boolean matches(String topic) {
    if (all || exact.contains(topic)) {
      return true;
    }
    if (templates.length == 0) {
      return false;
    }
    Answer[] table = cache;
    if (table == null) {
      table = new Answer[CACHE_SLOTS];
      cache = table;
    }
    int slot = (topic.hashCode() ^ topic.hashCode() >>> 16) & (CACHE_SLOTS - 1);
    Answer cached = table[slot];
    if (cached != null && cached.topic.equals(topic)) {
      return cached.matches;
    }
    boolean matches = matchTemplates(topic);
    table[slot] = new Answer(topic, matches);
    return matches;
  }

  /** Whether one of {@code topics} matches: how an update with alternate topics is matched. */
  public boolean matchesAny(List<String> topics) {
    for (int i = 0; i < topics.size(); i++) {
      if (matches(topics.get(i))) {
        return true;
      }
    }
    return false;
  }

  /** Whether every one of {@code topics} matches: what a publisher needs. */
  public boolean matchesEvery(List<String> topics) {
    for (int i = 0; i < topics.size(); i++) {
      if (!matches(topics.get(i))) {
        return false;
      }
    }
    return true;
  }

  private boolean matchTemplates(String topic) {
    for (Pattern template : templates) {
      if (template.matcher(topic).matches()) {
        return true;
      }
    }
    return false;
  }

  private static Pattern template(String selector) {
    Pattern shared = TEMPLATES.get(selector);
    if (shared == null) {
      Pattern compiled = UriTemplate.compile(selector);
      shared = compiled == null ? NOT_A_TEMPLATE : compiled;
      if (TEMPLATES.size() < MAX_SHARED_TEMPLATES) {
        TEMPLATES.putIfAbsent(selector, shared);
      }
    }
    return shared == NOT_A_TEMPLATE ? null : shared;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Selectors other && exact.equals(other.exact);
  }

  @Override
  public int hashCode() {
    return exact.hashCode();
  }

  @Override
  public String toString() {
    return raw.toString();
  }

  /** One cached answer; immutable, so a racing writer can only replace it whole. */
  private record Answer(String topic, boolean matches) {
  }
}
