package io.pushhub.http;

import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * The router's failure handler: failures become statuses here. A refusal is its SPEC answer; a
 * failure while the request was still arriving (a malformed chunk, a client gone mid-body) is the
 * client's: a {@code 400} when the socket can still carry it, counted, logged at DEBUG, and the
 * connection closed. Anything else is a bug of the hub: {@code 500} and one ERROR line.
 */
public final class Failures implements Handler<RoutingContext> {

  private static final Logger log = LoggerFactory.getLogger(Failures.class);

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof HubException e) {
      Errors.send(ctx.response(), e);
    } else if (failure == null) {
      ctx.next(); // a bare status: the router's error handlers answer it
    } else if (!ctx.request().isEnded() || ctx.response().closed()) {
      HttpServerRequest request = ctx.request();
      log.debug("request broken off {} {}", kv("requestId", RequestIds.of(ctx)), kv("cause", String.valueOf(failure)));
      if (!ctx.response().closed() && !ctx.response().headWritten()) {
        ctx.response().putHeader("Connection", "close");
      }
      Errors.send(ctx.response(), HubError.BAD_REQUEST, "malformed or incomplete request", 1);
      request.connection().close();
    } else {
      log.error("internal error {}", kv("requestId", RequestIds.of(ctx)), failure);
      Errors.send(ctx.response(), 500, "internal", "internal error");
    }
  }
}
