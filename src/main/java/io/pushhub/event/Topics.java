package io.pushhub.event;

import java.nio.charset.StandardCharsets;

/** The topic rules of docs/protocol.md: 1–256 bytes of UTF-8, no control characters, no empty segment. */
public final class Topics {

  public static final int MAX_BYTES = 256;

  private Topics() {
  }

  /** @return why {@code topic} is not a valid topic, or {@code null} when it is. */
  public static String invalidReason(String topic) {
    if (topic == null || topic.isEmpty()) {
      return "topic is empty";
    }
    if (topic.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return "topic is longer than " + MAX_BYTES + " bytes";
    }
    char previous = '/';
    for (int i = 0; i < topic.length(); i++) {
      char c = topic.charAt(i);
      if (isControl(c)) {
        return "topic contains a control character";
      }
      if (Character.isSurrogate(c) && !validSurrogateAt(topic, i)) {
        return "topic is not valid UTF-8";
      }
      if (c == '/' && previous == '/') {
        return "topic has an empty segment";
      }
      previous = c;
    }
    if (previous == '/') {
      return "topic has an empty segment";
    }
    return null;
  }

  /** C0, DEL and C1 controls. */
  public static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f);
  }

  private static boolean validSurrogateAt(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
