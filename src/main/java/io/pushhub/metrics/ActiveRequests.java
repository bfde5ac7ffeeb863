package io.pushhub.metrics;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.atomic.LongAdder;

/**
 * Requests in progress on this node, streams included, as {@code vertx_http_server_active_requests}:
 * counted from the router's first handler to the response's end or the connection's close, so
 * it returns to 0 whatever way a request ended. Requests the decoder refused never reach it
 * (they are answered and closed at once).
 */
public final class ActiveRequests implements Handler<RoutingContext> {

  private final LongAdder active = new LongAdder();

  public ActiveRequests(HubMetrics metrics) {
    metrics.gauge(MetricsSetup.ACTIVE_REQUESTS, "Requests in progress, streams included", active::sum);
  }

  @Override
  public void handle(RoutingContext ctx) {
    active.increment();
    ctx.addEndHandler(done -> active.decrement());
    ctx.next();
  }
}
