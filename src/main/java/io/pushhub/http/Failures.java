package io.pushhub.http;

import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.pushhub.error.Rejections;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Where HTTP failures become statuses: the router's failure handler (handlers {@code ctx.fail} a
 * {@link HubException}), and the answer of refusals made outside the router. A refusal is its documented
 * answer, counted in the node's {@link Rejections}; a failure while the request was still arriving
 * (a malformed chunk, a client gone mid-body) is the client's: a {@code 400} when the socket can
 * still carry it, logged at DEBUG, and the connection closed. Anything else is a bug of the hub:
 * {@code 500} and one ERROR line.
 */
public final class Failures implements Handler<RoutingContext> {

  private static final Logger log = LoggerFactory.getLogger(Failures.class);

  private final Rejections rejections;

  public Failures(Rejections rejections) {
    this.rejections = rejections;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof HubException e) {
      refuse(ctx.response(), e);
    } else if (failure == null) {
      ctx.next(); // a bare status: the router's error handlers answer it
    } else if (!ctx.request().isEnded() || ctx.response().closed()) {
      HttpServerRequest request = ctx.request();
      log.debug("request broken off {} {}", kv("requestId", RequestIds.of(ctx)), kv("cause", String.valueOf(failure)));
      if (!ctx.response().closed() && !ctx.response().headWritten()) {
        ctx.response().putHeader("Connection", "close");
      }
      refuse(ctx.response(), new HubException(HubError.BAD_REQUEST, "malformed or incomplete request"));
      request.connection().close();
    } else {
      log.error("internal error {}", kv("requestId", RequestIds.of(ctx)), failure);
      Errors.send(ctx.response(), 500, "internal", "internal error");
    }
  }

  /** A refusal: its status and code, {@code Retry-After} where it applies, a 401's challenge. */
  public void refuse(HttpServerResponse response, HubException e) {
    HubError error = e.error();
    rejections.count(error);
    if (!response.headWritten()) {
      if (error == HubError.AUTH) {
        response.putHeader("WWW-Authenticate", e.challenge());
      }
      if (error.retryable()) {
        response.putHeader("Retry-After", Integer.toString(e.retryAfterSeconds()));
      }
    }
    Errors.send(response, error.status(), error.code(), e.getMessage());
  }

  /** A request refused with a status of its own (408, 414, 431): the {@code bad_request} code and count. */
  public void malformed(HttpServerResponse response, int status, String message) {
    rejections.count(HubError.BAD_REQUEST);
    Errors.send(response, status, HubError.BAD_REQUEST.code(), message);
  }

  /** A request whose head did not arrive in time, answered by its decoder below the HTTP layer. */
  public void headTimedOut(StrictRequestDecoder decoder) {
    rejections.count(HubError.BAD_REQUEST);
    decoder.timeOut();
  }
}
