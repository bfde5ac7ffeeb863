package io.pushhub.mercure;

import com.google.re2j.Pattern;

/**
 * An RFC 6570 URI template compiled for reverse matching: does a topic look like an expansion of
 * the template? Each expression matches what its operator could expand to (its prefix, then
 * values of unreserved characters, or also reserved ones for {@code +} and {@code #}, and
 * percent-escapes, joined by its separator); an expression may expand to nothing. Variable names
 * of {@code ?}, {@code &} and {@code ;} are not checked, as the reference hub does not check them.
 *
 * <p>Compiled to an RE2 pattern: selectors come from clients, and RE2 matches in time linear in
 * the topic, where a backtracking engine can take exponential time on templates such as
 * {@code {a}{b}{c}{d}} (see docs/mercure.md).
 */
final class UriTemplate {

  private static final String UNRESERVED = "A-Za-z0-9\\-._~";
  private static final String RESERVED = ":/?#\\[\\]@!$&'()*+,;=";

  private final String text;
  private final StringBuilder regex = new StringBuilder("^");
  private int at;

  private UriTemplate(String text) {
    this.text = text;
  }

  /** The template's matcher, or {@code null} when {@code text} has no expression or is not a valid template. */
  static Pattern compile(String text) {
    if (text.indexOf('{') < 0) {
      return null;
    }
    UriTemplate template = new UriTemplate(text);
    return template.parse() ? Pattern.compile(template.regex.append('$').toString()) : null;
  }

  private boolean parse() {
    StringBuilder literal = new StringBuilder();
    while (at < text.length()) {
      int c = text.codePointAt(at);
      if (c == '{') {
        appendLiteral(literal);
        if (!expression()) {
          return false;
        }
      } else if (c == '%') {
        if (!percentEscape()) {
          return false;
        }
        literal.append(text, at - 3, at);
      } else if (isLiteral(c)) {
        literal.appendCodePoint(c);
        at += Character.charCount(c);
      } else {
        return false;
      }
    }
    appendLiteral(literal);
    return true;
  }

  private void appendLiteral(StringBuilder literal) {
    if (!literal.isEmpty()) {
      regex.append(Pattern.quote(literal.toString()));
      literal.setLength(0);
    }
  }

  /** {@code "{" [operator] varspec *("," varspec) "}"}, turned into one optional group. */
  private boolean expression() {
    at++;
    if (at >= text.length()) {
      return false;
    }
    char op = text.charAt(at);
    String first;
    String separator;
    boolean named = false;
    boolean reserved = false;
    switch (op) {
      case '+' -> { first = ""; separator = ","; reserved = true; }
      case '#' -> { first = "#"; separator = ","; reserved = true; }
      case '.' -> { first = "."; separator = "."; }
      case '/' -> { first = "/"; separator = "/"; }
      case ';' -> { first = ";"; separator = ";"; named = true; }
      case '?' -> { first = "?"; separator = "&"; named = true; }
      case '&' -> { first = "&"; separator = "&"; named = true; }
      case '=', ',', '!', '@', '|' -> {
        return false;
      }
      default -> { first = ""; separator = ","; op = 0; }
    }
    if (op != 0) {
      at++;
    }
    int variables = 0;
    boolean exploded = false;
    while (true) {
      if (!varname()) {
        return false;
      }
      variables++;
      if (at < text.length() && text.charAt(at) == '*') {
        exploded = true;
        at++;
      } else if (at < text.length() && text.charAt(at) == ':' && !prefixLength()) {
        return false;
      }
      if (at >= text.length()) {
        return false;
      }
      char next = text.charAt(at++);
      if (next == '}') {
        break;
      }
      if (next != ',') {
        return false;
      }
    }
    String value = value(reserved, named || exploded);
    regex.append("(?:").append(Pattern.quote(first)).append(value);
    // A separator that is also a value character adds nothing to what the group matches.
    if ((variables > 1 || exploded) && !separator.equals(",") && !separator.equals(".")) {
      regex.append("(?:").append(Pattern.quote(separator)).append(value).append(')')
        .append(exploded ? "*" : "{0," + (variables - 1) + "}");
    }
    regex.append(")?");
    return true;
  }

  private static String value(boolean reserved, boolean equalsSign) {
    String chars = UNRESERVED + (reserved ? RESERVED : "," + (equalsSign ? "=" : ""));
    return "(?:[" + chars + "]|%[0-9A-Fa-f]{2})*";
  }

  /** {@code varchar *(["."] varchar)}, varchar being a letter, digit, underscore or percent-escape. */
  private boolean varname() {
    int start = at;
    boolean dotAllowed = false;
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c == '%') {
        if (!percentEscape()) {
          return false;
        }
        dotAllowed = true;
      } else if (c == '.' && dotAllowed) {
        dotAllowed = false;
        at++;
      } else if (c == '_' || c < 0x80 && Character.isLetterOrDigit(c)) {
        dotAllowed = true;
        at++;
      } else {
        break;
      }
    }
    return at > start && dotAllowed;
  }

  /** {@code ":" max-length}, 1 to 9999 without a leading zero; a prefix does not change what matches. */
  private boolean prefixLength() {
    int start = ++at;
    while (at < text.length() && at - start < 5 && Character.isDigit(text.charAt(at))) {
      at++;
    }
    int digits = at - start;
    return digits >= 1 && digits <= 4 && text.charAt(start) != '0';
  }

  private boolean percentEscape() {
    if (at + 2 >= text.length()) {
      return false;
    }
    boolean ok = Character.digit(text.charAt(at + 1), 16) >= 0 && Character.digit(text.charAt(at + 2), 16) >= 0;
    at += 3;
    return ok;
  }

  /** RFC 6570 literals: ASCII other than controls, space and {@code "%<>\^`{|}}, or an IRI character. */
  private static boolean isLiteral(int c) {
    if (c < 0x80) {
      return c > 0x20 && c != 0x7f && "\"%<>\\^`{|}".indexOf(c) < 0;
    }
    return c >= 0xa0 && !(c >= 0xd800 && c <= 0xdfff) && !(c >= 0xfdd0 && c <= 0xfdef) && (c & 0xfffe) != 0xfffe;
  }
}
