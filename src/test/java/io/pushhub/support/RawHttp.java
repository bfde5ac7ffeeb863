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
