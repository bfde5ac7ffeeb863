package io.pushhub.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 over a plain socket, to see exactly the bytes the hub sends and when. */
public final class RawHttp implements AutoCloseable {

  private final Socket socket;
  private final StringBuilder received = new StringBuilder();

  private RawHttp(Socket socket) {
    this.socket = socket;
  }

  /** Connects; {@code receiveBuffer} > 0 shrinks the kernel receive buffer (set before connecting). */
  public static RawHttp connect(int port, int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(200);
    return new RawHttp(socket);
  }

  /** Connects to {@code host} (the source address is the one the kernel picks for it). */
  public static RawHttp connect(String host, int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 5000);
    socket.setSoTimeout(200);
    return new RawHttp(socket);
  }

  /** One request on its own connection; everything the hub sent until it closed (or 10 s passed). */
  public static String exchange(int port, String request) throws IOException {
    return exchange("127.0.0.1", port, request.getBytes(StandardCharsets.UTF_8));
  }

  public static String exchange(String host, int port, byte[] request) throws IOException {
    try (RawHttp http = connect(host, port)) {
      http.send(request);
      return http.untilClosed(10_000);
    }
  }

  /** A non-loopback address of this machine (a peer address that is not loopback), or null. */
  public static String nonLoopbackAddress() throws IOException {
    for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
      for (var address : java.util.Collections.list(nic.getInetAddresses())) {
        if (address instanceof java.net.Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
          return address.getHostAddress();
        }
      }
    }
    return null;
  }

  public RawHttp send(byte[] request) throws IOException {
    socket.getOutputStream().write(request);
    socket.getOutputStream().flush();
    return this;
  }

  /** Reads until the hub closes the connection or {@code millis} pass; all received so far. */
  public String untilClosed(long millis) throws IOException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    while (!closed() && System.nanoTime() < deadline) {
      try {
        poll();
      } catch (java.net.SocketException e) {
        received.append("<EOF>");
      }
    }
    return received.toString();
  }

  public boolean closed() {
    return received.toString().endsWith("<EOF>");
  }

  public RawHttp send(String request) throws IOException {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
    return this;
  }

  /** Reads what has arrived within the socket timeout; returns all received so far. */
  public String poll() throws IOException {
    byte[] buffer = new byte[65536];
    InputStream in = socket.getInputStream();
    try {
      int n = in.read(buffer);
      if (n > 0) {
        received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      } else if (n < 0) {
        received.append("<EOF>");
      }
    } catch (java.net.SocketTimeoutException e) {
      // nothing yet
    }
    return received.toString();
  }

  public String received() {
    return received.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
