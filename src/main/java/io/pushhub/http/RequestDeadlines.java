package io.pushhub.http;

import io.pushhub.error.HubError;
import io.pushhub.error.Rejections;
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
 * answers a connection may wait {@code keepAlive}; a request's body must arrive whole within
 * {@code requestTimeout} of its headers, else {@code 408} and the connection is closed. A stream
 * is a request in progress until it ends, so this never limits how long a stream lives.
 */
public final class RequestDeadlines implements Handler<RoutingContext> {

  private final Vertx vertx;
  private final long requestTimeoutMillis;
  private final long keepAliveMillis;
  private final Map<HttpConnection, Waiting> connections = new HashMap<>();

  /** Requests in progress on a connection, and the timer that closes it when it holds none for too long. */
  private static final class Waiting {
    int inFlight;
    long timer = -1;
  }

  public RequestDeadlines(Vertx vertx, int requestTimeoutSeconds, int keepAliveSeconds) {
    this.vertx = vertx;
    this.requestTimeoutMillis = requestTimeoutSeconds * 1000L;
    this.keepAliveMillis = keepAliveSeconds * 1000L;
  }

  /** For {@code HttpServer.connectionHandler}: arms the first-request deadline. */
  public void connected(HttpConnection connection) {
    Waiting waiting = new Waiting();
    connections.put(connection, waiting);
    arm(connection, waiting, requestTimeoutMillis);
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
      if (!request.isEnded() && !ctx.response().ended()) {
        Rejections.count(HubError.BAD_REQUEST);
        ctx.response().putHeader("Connection", "close");
        Errors.send(ctx.response(), 408, HubError.BAD_REQUEST.code(), "request body not received in time");
        connection.close();
      }
    });
    ctx.addEndHandler(done -> {
      vertx.cancelTimer(bodyTimer);
      if (waiting != null && --waiting.inFlight == 0 && connections.containsKey(connection)) {
        arm(connection, waiting, keepAliveMillis);
      }
    });
    ctx.next();
  }

  private void arm(HttpConnection connection, Waiting waiting, long millis) {
    waiting.timer = vertx.setTimer(millis, id -> {
      if (waiting.inFlight == 0) {
        connection.close();
      }
    });
  }
}
