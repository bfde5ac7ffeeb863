package io.pushhub.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The body of every error answer: {@code {"error": CODE, "message": TEXT}}. Refusals in docs/protocol.md
 * vocabulary are answered (and counted) by {@link Failures}; this writes what is not a refusal
 * (404, 405, 500) and the bytes of those that are.
 */
public final class Errors {

  private Errors() {
  }

  public static void send(HttpServerResponse response, int status, String code, String message) {
    if (response.ended()) {
      return;
    }
    if (response.headWritten()) {
      response.end();
      return;
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json");
    if (status == 401 && !response.headers().contains("WWW-Authenticate")) {
      response.putHeader("WWW-Authenticate", "Bearer");
    }
    response.end(new JsonObject().put("error", code).put("message", message).encode());
  }
}
