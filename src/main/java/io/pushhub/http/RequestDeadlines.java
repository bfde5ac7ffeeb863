package io.pushhub.http;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.Map;

/**
 * Slow-client guard (slowloris), per verticle instance and confined to its event loop. A new
 * connection must deliver its first request's headers within {@code requestTimeout}; between
 * answers a connection may wait {@code keepAlive}, but once a request's first byte arrives its
 * headers must follow within {@code requestTimeout} ({@code 408}); a request's body must arrive whole within
 * {@code requestTimeout} of its headers, else {@code 408} and the connection is closed. A stream
 * is a request in progress until it ends, so this never limits how long a stream lives.
 */
public final class RequestDeadlines implements Handler<RoutingContext> {

  private final Vertx vertx;
  private final Failures failures;
  private final long requestTimeoutMillis;
  private final long keepAliveMillis;
  private final Map<HttpConnection, Waiting> connections = new HashMap<>();

  /** Requests in progress on a connection, and the timer that closes it when it holds none for too long. */
  private static final class Waiting {
    int inFlight;
    long timer = -1;
    /** The timer is the keep-alive one (no request begun since the last ended). */
    boolean idle;
    StrictRequestDecoder decoder;
  }

  public RequestDeadlines(Vertx vertx, Failures failures, int requestTimeoutSeconds, int keepAliveSeconds) {
    this.vertx = vertx;
    this.failures = failures;
    this.requestTimeoutMillis = requestTimeoutSeconds * 1000L;
    this.keepAliveMillis = keepAliveSeconds * 1000L;
  }

  /**
   * For {@code HttpServer.connectionHandler}: arms the first-request deadline; with the
   * connection's decoder ({@code null} on HTTP/2), a later request's head gets the request
   * timeout from its first byte instead of the keep-alive time.
   */
  public void connected(HttpConnection connection, StrictRequestDecoder decoder) {
    Waiting waiting = new Waiting();
    waiting.decoder = decoder;
    connections.put(connection, waiting);
    arm(connection, waiting, requestTimeoutMillis);
    Context context = vertx.getOrCreateContext();
    if (decoder != null) {
      decoder.onHeadStarted(() -> context.runOnContext(v -> {
        if (waiting.idle && waiting.inFlight == 0 && decoder.headArriving() && connections.containsKey(connection)) {
          vertx.cancelTimer(waiting.timer);
          arm(connection, waiting, requestTimeoutMillis);
        }
      }));
    }
    connection.closeHandler(v -> {
      Waiting gone = connections.remove(connection);
      if (gone != null) {
        vertx.cancelTimer(gone.timer);
      }
    });
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HttpConnection connection = request.connection();
    Waiting waiting = connections.get(connection);
    if (waiting != null) {
      waiting.inFlight++;
      vertx.cancelTimer(waiting.timer);
    }
    long bodyTimer = vertx.setTimer(requestTimeoutMillis, id -> {
      if (request.isEnded()) {
        return;
      }
      // A body still arriving: 408 if nothing was answered yet; either way the connection goes,
      // since the rest of the body would be read as the next request's head.
      if (!ctx.response().ended()) {
        ctx.response().putHeader("Connection", "close");
        failures.malformed(ctx.response(), 408, "request body not received in time");
      }
      connection.close();
    });
    ctx.addEndHandler(done -> {
      // Answered before its body arrived (a refusal): the timer still bounds the wait for the body.
      if (request.isEnded()) {
        vertx.cancelTimer(bodyTimer);
      }
      if (waiting != null && --waiting.inFlight == 0 && connections.containsKey(connection)) {
        arm(connection, waiting, keepAliveMillis);
        waiting.idle = true;
      }
    });
    ctx.next();
  }

  private void arm(HttpConnection connection, Waiting waiting, long millis) {
    waiting.idle = false;
    waiting.timer = vertx.setTimer(millis, id -> {
      if (waiting.inFlight > 0) {
        return;
      }
      if (waiting.decoder != null && waiting.decoder.headArriving()) {
        failures.headTimedOut(waiting.decoder);
      } else {
        connection.close();
      }
    });
  }
}
