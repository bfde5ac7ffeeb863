package io.pushhub.mercure;

import io.pushhub.event.Cursor;
import io.pushhub.event.Event;
import io.pushhub.event.Position;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Mercure update ids and what a {@code Last-Event-ID} names (docs/mercure.md). An id the hub
 * generates is an IRI that locates its update in the store, so any node resumes after it
 * without a lookup:
 *
 * <pre>
 *   urn:pushhub:{epoch}.{seq}.{check}:{topic}
 * </pre>
 *
 * with {@code epoch} and {@code seq} the update's position in its canonical topic's log and
 * {@code check} its {@link Event#check()}, in lowercase base 36 without leading zeros, and
 * {@code topic} the canonical topic's UTF-8 bytes percent-encoded except for RFC 3986 unreserved
 * characters. The check lets a resume tell whether the log holds, at that position, the update
 * the subscriber saw. Each position has exactly one spelling. A publisher's own id is kept as
 * given; the id index maps it to the same location, written without a check.
 */
public final class MercureIds {

  public static final String EARLIEST = "earliest";
  public static final String PREFIX = "urn:pushhub:";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private MercureIds() {
  }

  /** Where an update sits: its canonical topic and its position in that topic's log. */
  public record Location(String topic, Position position) {
  }

  /** What a {@code Last-Event-ID} names. */
  public sealed interface LastEventId permits Earliest, Generated, Supplied {
  }

  /** {@code earliest}: every retained update. */
  public record Earliest() implements LastEventId {
  }

  /** An id the hub generated: located without a lookup; {@code check} is {@link Cursor#NO_CHECK} when it has none. */
  public record Generated(Location location, int check) implements LastEventId {
  }

  /** Any other text: a publisher's id, to look up in the id index. */
  public record Supplied(String id) implements LastEventId {
  }

  /** The update's id on the Mercure endpoint: its publisher's, else the one generated from its position. */
  public static String of(Event event) {
    String supplied = event.mercure() == null ? null : event.mercure().id();
    return supplied != null ? supplied : generate(event.topic(), event.position(), event.check());
  }

  /** The id of a location, without a check: for the id index and positions with no update. */
  public static String generate(String topic, Position position) {
    return generate(topic, position, Cursor.NO_CHECK);
  }

  static String generate(String topic, Position position, int check) {
    StringBuilder sb = new StringBuilder(PREFIX.length() + 28 + topic.length() * 3 / 2)
      .append(PREFIX).append(Long.toString(position.epoch(), 36)).append('.')
      .append(Long.toString(position.seq(), 36));
    if (check != Cursor.NO_CHECK) {
      sb.append('.').append(Integer.toString(check, 36));
    }
    return appendEncoded(sb.append(':'), topic).toString();
  }

  /** {@code text}'s UTF-8 bytes percent-encoded except for RFC 3986 unreserved characters (RFC 6570's simple expansion). */
  public static String percentEncode(String text) {
    return appendEncoded(new StringBuilder(text.length() * 3 / 2), text).toString();
  }

  private static StringBuilder appendEncoded(StringBuilder sb, String text) {
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (isUnreserved(c)) {
        sb.append((char) c);
      } else {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return sb;
  }

  public static LastEventId parse(String lastEventId) {
    if (lastEventId.equals(EARLIEST)) {
      return new Earliest();
    }
    Generated generated = lastEventId.startsWith(PREFIX) ? generated(lastEventId) : null;
    return generated == null ? new Supplied(lastEventId) : generated;
  }

  /** The location a generated id encodes, or {@code null} when the text is not one. */
  public static Location locate(String id) {
    Generated generated = generated(id);
    return generated == null ? null : generated.location();
  }

  private static Generated generated(String id) {
    if (!id.startsWith(PREFIX)) {
      return null;
    }
    int colon = id.indexOf(':', PREFIX.length());
    if (colon < 0 || colon == id.length() - 1) {
      return null;
    }
    String[] numbers = id.substring(PREFIX.length(), colon).split("\\.", -1);
    if (numbers.length != 2 && numbers.length != 3) {
      return null;
    }
    long epoch = base36(numbers[0]);
    long seq = base36(numbers[1]);
    long check = numbers.length == 3 ? base36(numbers[2]) : Cursor.NO_CHECK;
    String topic = decode(id.substring(colon + 1));
    if (epoch < 1 || seq < 1 || check < Cursor.NO_CHECK || check > Event.MAX_CHECK || topic == null) {
      return null;
    }
    Location location = new Location(topic, new Position(epoch, seq));
    return generate(topic, location.position(), (int) check).equals(id) ? new Generated(location, (int) check) : null;
  }

  /** Why a publisher's {@code id} cannot be used, or {@code null} when it can. */
  public static String invalidSuppliedReason(String id) {
    if (id.startsWith("#")) {
      return "id must not start with #";
    }
    if (id.equals(EARLIEST)) {
      return "id must not be the reserved value earliest";
    }
    if (id.startsWith(PREFIX)) {
      return "ids starting with " + PREFIX + " are the hub's own";
    }
    return null;
  }

  private static long base36(String digits) {
    if (digits.isEmpty() || digits.length() > 13) {
      return -1;
    }
    try {
      return Long.parseLong(digits, 36);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String decode(String encoded) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%' && i + 2 < encoded.length()) {
        int hi = Character.digit(encoded.charAt(i + 1), 16);
        int lo = Character.digit(encoded.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (isUnreserved(c)) {
        bytes.write(c);
      } else {
        return null;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static boolean isUnreserved(int c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
      || c == '~';
  }
}
