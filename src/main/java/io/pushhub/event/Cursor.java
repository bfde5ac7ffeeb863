package io.pushhub.event;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The opaque {@code id} of an SSE frame: one position per topic of the stream, so that one
 * {@code Last-Event-ID} resumes every topic of the connection.
 *
 * <pre>
 *   cursor = entry *( "_" entry )
 *   entry  = tag "." epoch "." seq [ "." check ]    (each a lowercase base-36 number)
 *   tag    = 32-bit FNV-1a hash of the topic's UTF-8 bytes
 *   check  = {@link Event#check()} of the event at that position
 * </pre>
 *
 * The check lets a resume notice that the log holds another event at the position than the one
 * the client saw, which a node cut off from the cluster may have shown it: the stream then gets a
 * resync instead of silently skipping that event. A position the stream reached without an event
 * (a topic's head when it started live) has no check.
 *
 * A stream of one topic carries single-entry cursors, which is also the {@code id} of a publish
 * reply. The tag keeps a cursor valid when the client reorders, adds or drops topics: a topic
 * whose tag is missing starts live. Only characters {@code [0-9a-z._]} appear, so a cursor is
 * safe in a header, a query string and an SSE field.
 */
public final class Cursor {

  /** Longest cursor accepted: 1024 topics of the longest entries. */
  public static final int MAX_LENGTH = 1024 * 47;
  /** The check of a position reached without an event. */
  public static final int NO_CHECK = -1;

  /** One topic's entry: a position, and the check of the event there ({@link #NO_CHECK} for none). */
  public record Entry(Position position, int check) {
  }

  private Cursor() {
  }

  public static String of(String topic, Position position, int check) {
    StringBuilder sb = new StringBuilder(28);
    appendEntry(sb, tag(topic), position, check);
    return sb.toString();
  }

  /** The cursor of a stream over {@code tags}, at {@code positions} with {@code checks} (same order). */
  public static String of(int[] tags, Position[] positions, int[] checks) {
    StringBuilder sb = new StringBuilder(28 * tags.length);
    for (int i = 0; i < tags.length; i++) {
      if (i > 0) {
        sb.append('_');
      }
      appendEntry(sb, tags[i], positions[i], checks[i]);
    }
    return sb.toString();
  }

  /**
   * Parses a cursor into entries by tag.
   *
   * @return the entries, or {@code null} when the text is not a cursor of this format
   */
  public static Map<Integer, Entry> parse(String cursor) {
    if (cursor == null || cursor.isEmpty() || cursor.length() > MAX_LENGTH) {
      return null;
    }
    Map<Integer, Entry> entries = new HashMap<>();
    for (String entry : cursor.split("_", -1)) {
      String[] parts = entry.split("\\.", -1);
      if (parts.length != 3 && parts.length != 4) {
        return null;
      }
      try {
        long tag = Long.parseLong(parts[0], 36);
        long epoch = Long.parseLong(parts[1], 36);
        long seq = Long.parseLong(parts[2], 36);
        long check = parts.length == 4 ? Long.parseLong(parts[3], 36) : NO_CHECK;
        if (tag < 0 || tag > 0xffffffffL || epoch < 0 || seq < 0 || (epoch == 0 && seq != 0)
          || check < NO_CHECK || check > Event.MAX_CHECK || (check != NO_CHECK && seq == 0) || !isCanonical(parts)) {
          return null;
        }
        entries.put((int) tag, new Entry(new Position(epoch, seq), (int) check));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return entries;
  }

  public static int tag(String topic) {
    int hash = 0x811c9dc5;
    for (byte b : topic.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    return hash;
  }

  private static void appendEntry(StringBuilder sb, int tag, Position position, int check) {
    sb.append(Long.toString(Integer.toUnsignedLong(tag), 36)).append('.')
      .append(Long.toString(position.epoch(), 36)).append('.')
      .append(Long.toString(position.seq(), 36));
    if (check != NO_CHECK && position.seq() > 0) {
      sb.append('.').append(Integer.toString(check, 36));
    }
  }

  /** Rejects signs, upper case and leading zeros, so that one position has exactly one spelling. */
  private static boolean isCanonical(String[] parts) {
    for (String part : parts) {
      if (part.isEmpty() || (part.length() > 1 && part.charAt(0) == '0')) {
        return false;
      }
      for (int i = 0; i < part.length(); i++) {
        char c = part.charAt(i);
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) {
          return false;
        }
      }
    }
    return true;
  }
}
