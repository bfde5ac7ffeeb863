package io.pushhub.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Who a request comes from, as SPEC §8 defines the client for limits and the loopback rule. */
public final class Clients {

  private Clients() {
  }

  /** The client address: the last {@code X-Forwarded-For} hop when trusted, else the peer. */
  public static String address(HttpServerRequest request, boolean trustForwardedFor) {
    if (trustForwardedFor) {
      String forwarded = request.getHeader("X-Forwarded-For");
      if (forwarded != null && !forwarded.isBlank()) {
        String last = forwarded.substring(forwarded.lastIndexOf(',') + 1).trim();
        if (!last.isEmpty()) {
          return last;
        }
      }
    }
    SocketAddress peer = request.remoteAddress();
    return peer == null ? "unknown" : peer.hostAddress();
  }

  /** The client of the per-client limits: the token's subject, else the client address. */
  public static String key(HttpServerRequest request, boolean trustForwardedFor, String subject) {
    return subject != null ? "sub:" + subject : "ip:" + address(request, trustForwardedFor);
  }

  /** The peer as {@code ip:port}, for admin listings. */
  public static String remote(HttpServerRequest request, boolean trustForwardedFor) {
    SocketAddress peer = request.remoteAddress();
    String address = address(request, trustForwardedFor);
    return peer == null ? address : address + ":" + peer.port();
  }

  public static boolean isLoopback(String address) {
    if (address == null || address.isEmpty() || !(Character.isDigit(address.charAt(0)) || address.indexOf(':') >= 0)) {
      return false;
    }
    try {
      // A literal address: no name lookup happens.
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
