package io.pushhub.http;

import io.pushhub.config.HubConfig;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.tracing.TracingPolicy;

/** The HTTP server of every verticle instance, from {@code http.*}: caps, idle timeout, and TLS with h2 by ALPN. */
public final class ServerOptions {

  private ServerOptions() {
  }

  public static HttpServerOptions of(HubConfig.Http http) {
    HttpServerOptions options = new HttpServerOptions()
      .setPort(http.port())
      .setHost(http.host())
      // Events are small and already framed; compressing them costs CPU per subscriber and delays flushes.
      .setCompressionSupported(false)
      // Off lets the kernel merge small event writes (Nagle): fewer segments and less CPU per
      // delivery, paid in latency, since a write then waits for the previous one's ACK.
      .setTcpNoDelay(http.tcpNoDelay())
      .setMaxInitialLineLength(http.maxUrlBytes())
      .setMaxHeaderSize(http.maxHeaderBytes())
      // No h2c sniffing: it delays the connection (and its first-request deadline) until bytes arrive,
      // and browsers only speak h2 over TLS anyway.
      .setHttp2ClearTextEnabled(false)
      // Every response is written on its connection's event loop, so Vert.x needs no per-connection
      // cross-thread write queue, which an idle stream would otherwise carry for its whole life.
      .setStrictThreadMode(true)
      // No span per request from Vert.x's tracer (tracing.enabled): a stream's request lasts as long
      // as the stream, and health checks and scrapes would flood the traces. A publish is traced
      // by its handler, from its own traceparent.
      .setTracingPolicy(TracingPolicy.IGNORE);
    // Not Netty's idle handler: stream writes bypass it (ChannelWriter), so it would close live streams.
    // Connections without a request are timed by RequestDeadlines; a stream whose peer acknowledges
    // nothing for this long is dead (native transport only, ignored on NIO).
    options.setTcpUserTimeout(http.idleTimeoutSeconds() * 1000);
    if (http.tls().enabled()) {
      // ALPN offers h2 then http/1.1: a browser multiplexes all its streams over one connection.
      options.setSsl(true).setUseAlpn(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(http.tls().certPath()).setKeyPath(http.tls().keyPath()))
        .setInitialSettings(new Http2Settings().setMaxHeaderListSize(http.maxHeaderBytes())
          .setMaxConcurrentStreams(1000));
    }
    return options;
  }
}
