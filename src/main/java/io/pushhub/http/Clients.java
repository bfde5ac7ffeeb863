package io.pushhub.http;

import io.pushhub.config.HubConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

import java.net.InetAddress;
import java.util.List;

/**
 * Who a request comes from (docs/configuration.md). {@code X-Forwarded-For} counts only with
 * {@code http.trustForwardedFor} and only when the socket peer is in {@code http.trustedProxies};
 * then the client is the right-most hop that is not itself a trusted proxy, so a client reaching
 * a node directly, or prepending hops, cannot pick its own identity. The development-mode
 * loopback rule never looks at the header: see {@link #peerIsLoopback}.
 */
public final class Clients {

  private final boolean trustForwardedFor;
  private final List<Cidr> proxies;

  public Clients(HubConfig.Http http) {
    this.trustForwardedFor = http.trustForwardedFor();
    this.proxies = http.trustedProxies().stream().map(Cidr::parse).toList();
  }

  /** The client address for limits and listings. */
  public String address(HttpServerRequest request) {
    String peer = peer(request);
    if (!trustForwardedFor || !trusted(Cidr.literal(peer))) {
      return peer;
    }
    String client = peer;
    List<String> headers = request.headers().getAll("X-Forwarded-For");
    for (int h = headers.size() - 1; h >= 0; h--) {
      String[] hops = headers.get(h).split(",");
      for (int i = hops.length - 1; i >= 0; i--) {
        InetAddress hop = Cidr.literal(hops[i].trim());
        if (hop == null) {
          return client;
        }
        client = hop.getHostAddress();
        if (!trusted(hop)) {
          return client;
        }
      }
    }
    return client;
  }

  /** The client of the per-client limits: the token's subject, else the client address. */
  public String key(HttpServerRequest request, String subject) {
    return subject != null ? "sub:" + subject : "ip:" + address(request);
  }

  /** The client as {@code ip:port}, for admin listings. */
  public String remote(HttpServerRequest request) {
    SocketAddress peer = request.remoteAddress();
    String address = address(request);
    return peer == null ? address : address + ":" + peer.port();
  }

  /** Whether the socket's peer is a loopback address; forwarded headers never count. */
  public static boolean peerIsLoopback(HttpServerRequest request) {
    InetAddress peer = Cidr.literal(peer(request));
    return peer != null && peer.isLoopbackAddress();
  }

  private boolean trusted(InetAddress address) {
    return address != null && proxies.stream().anyMatch(cidr -> cidr.contains(address));
  }

  private static String peer(HttpServerRequest request) {
    SocketAddress peer = request.remoteAddress();
    return peer == null || peer.hostAddress() == null ? "unknown" : peer.hostAddress();
  }
}
