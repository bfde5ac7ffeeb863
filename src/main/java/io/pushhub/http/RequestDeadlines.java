package io.pushhub.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Slow-client guard (slowloris), per verticle instance and confined to its event loop. A new
 * connection must deliver its first request's headers within {@code requestTimeout}; between
 * answers a connection may wait {@code keepAlive}, but once a request's first byte arrives its
 * headers must follow within {@code requestTimeout} ({@code 408}); a request's body must arrive whole within
 * {@code requestTimeout} of its headers, else {@code 408} and the connection is closed. A stream
 * is a request in progress until it ends, so this never limits how long a stream lives.
 *
 * <p>Deadlines are checked by one periodic sweep rather than a timer per request: setting and
 * cancelling two timers for every request was a visible share of a publish's cost. A deadline
 * is therefore kept up to a quarter of the shorter timeout late (at most a second).
 */
public final class RequestDeadlines implements Handler<RoutingContext> {

  private final Failures failures;
  private final long requestTimeoutMillis;
  private final long keepAliveMillis;
  private final Map<HttpConnection, Waiting> connections = new HashMap<>();
  /** Requests whose body may still be arriving, oldest first: all have the same timeout, so their deadlines are in order. */
  private final ArrayDeque<Body> bodies = new ArrayDeque<>();

  /** Requests in progress on a connection, and when it is closed if it holds none for too long. */
  private static final class Waiting {
    final HttpConnection connection;
    final StrictRequestDecoder decoder;
    int inFlight;
    /** When the connection is closed (or its unfinished head refused) with no request in progress; 0: never. */
    long deadline;
    /** The deadline is the keep-alive one (no request begun since the last ended). */
    boolean idle;

    Waiting(HttpConnection connection, StrictRequestDecoder decoder) {
      this.connection = connection;
      this.decoder = decoder;
    }
  }

  private record Body(RoutingContext ctx, long deadline) {
  }

  /** Call on the verticle's context: the sweep runs there, and ends with the verticle. */
  public RequestDeadlines(Vertx vertx, Failures failures, int requestTimeoutSeconds, int keepAliveSeconds) {
    this.failures = failures;
    this.requestTimeoutMillis = requestTimeoutSeconds * 1000L;
    this.keepAliveMillis = keepAliveSeconds * 1000L;
    long sweepMillis = Math.max(100, Math.min(1000, Math.min(requestTimeoutMillis, keepAliveMillis) / 4));
    vertx.setPeriodic(sweepMillis, id -> sweep(now()));
  }

  /**
   * For {@code HttpServer.connectionHandler}: sets the first-request deadline; with the
   * connection's decoder ({@code null} on HTTP/2), a later request's head gets the request
   * timeout from its first byte instead of the keep-alive time.
   */
  public void connected(HttpConnection connection, StrictRequestDecoder decoder) {
    Waiting waiting = new Waiting(connection, decoder);
    connections.put(connection, waiting);
    waitAtMost(waiting, requestTimeoutMillis);
    if (decoder != null) {
      // The decoder runs on the connection's event loop, which is this verticle's: no hand-over needed.
      decoder.onHeadStarted(() -> {
        if (waiting.idle && waiting.inFlight == 0) {
          waitAtMost(waiting, requestTimeoutMillis);
        }
      });
    }
    connection.closeHandler(v -> connections.remove(connection));
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    Waiting waiting = connections.get(connection);
    if (waiting != null) {
      waiting.inFlight++;
      waiting.deadline = 0;
    }
    dropArrivedBodies();
    bodies.add(new Body(ctx, now() + requestTimeoutMillis));
    if (waiting != null) {
      ctx.addEndHandler(done -> {
        if (--waiting.inFlight == 0 && connections.containsKey(connection)) {
          waitAtMost(waiting, keepAliveMillis);
          waiting.idle = true;
        }
      });
    }
    ctx.next();
  }

  private void waitAtMost(Waiting waiting, long millis) {
    waiting.idle = false;
    waiting.deadline = now() + millis;
  }

  private void sweep(long now) {
    dropArrivedBodies();
    while (!bodies.isEmpty() && bodies.peekFirst().deadline() <= now) {
      RoutingContext ctx = bodies.pollFirst().ctx();
      HttpServerRequest request = ctx.request();
      if (!request.isEnded()) {
        // A body still arriving: 408 if nothing was answered yet; either way the connection goes,
        // since the rest of the body would be read as the next request's head.
        if (!ctx.response().ended()) {
          ctx.response().putHeader("Connection", "close");
          failures.malformed(ctx.response(), 408, "request body not received in time");
        }
        request.connection().close();
      }
    }
    // Collected first: closing a connection can remove it from the map at once.
    List<Waiting> expired = new ArrayList<>();
    for (Waiting waiting : connections.values()) {
      if (waiting.inFlight == 0 && waiting.deadline != 0 && waiting.deadline <= now) {
        waiting.deadline = 0;
        expired.add(waiting);
      }
    }
    for (Waiting waiting : expired) {
      if (waiting.decoder != null && waiting.decoder.headArriving()) {
        failures.headTimedOut(waiting.decoder);
      } else {
        waiting.connection.close();
      }
    }
  }

  /** Bodies arrive in order of requests often enough that looking at the oldest keeps the queue short. */
  private void dropArrivedBodies() {
    while (!bodies.isEmpty() && bodies.peekFirst().ctx().request().isEnded()) {
      bodies.pollFirst();
    }
  }

  private static long now() {
    return System.nanoTime() / 1_000_000;
  }
}
