package io.pushhub.http;

import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * A request's raw body, up to a bound, without vertx-web's form decoding (which caps each form
 * field far below an event's size): a body past the bound is a {@code 413}, its connection closed
 * rather than read to the end.
 */
public final class BoundedBody {

  private BoundedBody() {
  }

  public static Future<Buffer> read(HttpServerRequest request, long maxBytes) {
    Promise<Buffer> read = Promise.promise();
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (body.length() + (long) chunk.length() > maxBytes) {
        if (read.tryFail(new HubException(HubError.SIZE, "request body too large"))) {
          request.response().putHeader("Connection", "close");
        }
        return;
      }
      body.appendBuffer(chunk);
    });
    request.exceptionHandler(read::tryFail);
    request.endHandler(v -> read.tryComplete(body));
    return read.future();
  }
}
