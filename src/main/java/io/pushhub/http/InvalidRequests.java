package io.pushhub.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * Requests the HTTP decoder refused (URL or headers over their caps, broken syntax) get the
 * precise status with the documented JSON body, then the connection is closed: after a framing error
 * nothing else on it can be trusted.
 */
public final class InvalidRequests implements Handler<HttpServerRequest> {

  private final Failures failures;

  public InvalidRequests(Failures failures) {
    this.failures = failures;
  }

  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status;
    String message;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      message = "request line too long";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      message = "request headers too large";
    } else if (cause instanceof StrictRequestDecoder.Refused refused) {
      status = 400;
      message = refused.getMessage();
    } else {
      status = 400;
      message = "malformed request";
    }
    request.response().putHeader("Connection", "close");
    failures.malformed(request.response(), status, message);
    LingeringClose.close(request.connection());
  }
}
