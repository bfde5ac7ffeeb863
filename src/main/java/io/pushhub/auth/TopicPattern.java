package io.pushhub.auth;

import java.util.List;

/**
 * A topic pattern of docs/protocol.md, matched segment by segment: {@code *} matches any one segment, a
 * final {@code **} matches one or more further segments ({@code a/**} matches {@code a/b} and
 * {@code a/b/c}, not {@code a}); any other character is literal.
 */
public final class TopicPattern {

  private final String[] segments;

  private TopicPattern(String pattern) {
    this.segments = pattern.split("/", -1);
  }

  public static TopicPattern of(String pattern) {
    return new TopicPattern(pattern);
  }

  public static boolean anyMatches(List<TopicPattern> patterns, String topic) {
    for (TopicPattern p : patterns) {
      if (p.matches(topic)) {
        return true;
      }
    }
    return false;
  }

  public boolean matches(String topic) {
    String[] parts = topic.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      if (segment.equals("**") && i == segments.length - 1) {
        return parts.length > i;
      }
      if (i >= parts.length || !(segment.equals("*") || segment.equals(parts[i]))) {
        return false;
      }
    }
    return parts.length == segments.length;
  }
}
