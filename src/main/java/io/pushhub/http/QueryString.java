package io.pushhub.http;

import io.pushhub.error.HubError;
import io.pushhub.error.HubException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict decoder of {@code application/x-www-form-urlencoded} query strings: a bad escape or
 * bytes that are not UTF-8 are a {@code 400}, where a lenient decoder would silently turn them
 * into replacement characters (and a topic name nobody published to).
 */
public final class QueryString {

  private QueryString() {
  }

  public static Map<String, List<String>> parse(String rawQuery) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return params;
  }

  /** The first value of {@code name}, or {@code null}. */
  public static String first(String rawQuery, String name) {
    List<String> values = parse(rawQuery).get(name);
    return values == null ? null : values.get(0);
  }

  /** A path segment, decoded as strictly as a query value ({@code +} stays a plus). */
  public static String decodeSegment(String encoded) {
    return decode(encoded, false);
  }

  static String decode(String encoded) {
    return decode(encoded, true);
  }

  /**
   * The request line reaches us as Latin-1 (one char per byte), so a char below 256 is one raw
   * byte: unencoded UTF-8 in the URL decodes as UTF-8, the same as its percent-escaped form.
   */
  private static String decode(String encoded, boolean plusIsSpace) {
    if (encoded.chars().allMatch(c -> c < 0x80 && c != '%' && c != '+')) {
      return encoded;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '+' && plusIsSpace) {
        bytes.write(' ');
      } else if (c == '%') {
        if (i + 2 >= encoded.length()) {
          throw bad("bad percent-escape in query string");
        }
        int hi = Character.digit(encoded.charAt(i + 1), 16);
        int lo = Character.digit(encoded.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw bad("bad percent-escape in query string");
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c < 0x100) {
        bytes.write(c);
      } else {
        byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(raw, 0, raw.length);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes.toByteArray()))
        .toString();
    } catch (CharacterCodingException e) {
      throw bad("query string is not valid UTF-8");
    }
  }

  private static HubException bad(String message) {
    return new HubException(HubError.BAD_REQUEST, message);
  }
}
