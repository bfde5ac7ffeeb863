package io.pushhub.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An address block such as {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a block of one. */
public record Cidr(byte[] network, int prefix) {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /** {@code null} when {@code text} is not an address block. */
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    InetAddress address = literal(slash < 0 ? text : text.substring(0, slash));
    if (address == null) {
      return null;
    }
    int bits = address.getAddress().length * 8;
    int prefix;
    try {
      prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      return null;
    }
    return prefix < 0 || prefix > bits ? null : new Cidr(address.getAddress(), prefix);
  }

  /** An IP literal without any name lookup, or {@code null}. */
  public static InetAddress literal(String text) {
    if (text == null || !(IPV4.matcher(text).matches() || text.indexOf(':') >= 0)) {
      return null;
    }
    try {
      // A dotted quad or a text with ':' is parsed as a literal: no name lookup happens.
      return InetAddress.getByName(text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text);
    } catch (UnknownHostException | SecurityException e) {
      return null;
    }
  }

  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length != network.length) {
      return false;
    }
    int whole = prefix / 8;
    for (int i = 0; i < whole; i++) {
      if (bytes[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    int mask = (0xff << (8 - rest)) & 0xff;
    return rest == 0 || (bytes[whole] & mask) == (network[whole] & mask);
  }
}
