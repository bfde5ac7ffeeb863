package io.pushhub.http;

import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

import java.util.concurrent.TimeUnit;

/**
 * Ends a connection whose request was refused before its body was read: closing at once with
 * unread bytes makes the kernel send a reset, and the client may lose the answer already sent.
 * So the hub only stops sending (FIN after the answer), discards what still arrives, and closes
 * when the client does or after a short grace time.
 */
public final class LingeringClose {

  private static final long GRACE_MILLIS = 2000;

  private LingeringClose() {
  }

  public static void close(HttpConnection connection) {
    if (connection instanceof ConnectionBase base && base.channel() instanceof DuplexChannel duplex && duplex.isActive()) {
      Channel channel = duplex;
      // Ordered after the answer's bytes, which are already queued on this channel.
      channel.eventLoop().execute(() -> duplex.shutdownOutput().addListener(done ->
        channel.eventLoop().schedule(() -> channel.close(), GRACE_MILLIS, TimeUnit.MILLISECONDS)));
    } else {
      connection.close();
    }
  }
}
