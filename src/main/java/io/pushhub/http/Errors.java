package io.pushhub.http;

import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.pushhub.error.Rejections;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Refusals as HTTP answers: {@code {"error": CODE, "message": TEXT}}, with Retry-After where it applies. */
public final class Errors {

  private Errors() {
  }

  public static void send(HttpServerResponse response, HubException e) {
    if (e.error() == HubError.AUTH && !response.headWritten()) {
      response.putHeader("WWW-Authenticate", e.challenge());
    }
    send(response, e.error(), e.getMessage(), e.retryAfterSeconds());
  }

  public static void send(HttpServerResponse response, HubError error, String message, int retryAfterSeconds) {
    Rejections.count(error);
    if (error.retryable() && !response.headWritten()) {
      response.putHeader("Retry-After", Integer.toString(Math.max(1, retryAfterSeconds)));
    }
    send(response, error.status(), error.code(), message);
  }

  /** Any status and code; the SPEC vocabulary goes through {@link #send(HttpServerResponse, HubException)}. */
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
