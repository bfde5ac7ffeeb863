package io.pushhub.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

/** Requests to {@code pushhub.publish} (docs/protocol.md): a refusal's failure code is the HTTP status, its message the code. */
final class EventBusTransport implements RetryingPublisher.Transport {

  static final String ADDRESS = "pushhub.publish";

  private final Vertx vertx;

  EventBusTransport(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<Published> send(JsonObject event, long timeoutMillis) {
    return vertx.eventBus().<JsonObject>request(ADDRESS, event, new DeliveryOptions().setSendTimeout(timeoutMillis))
      .map(reply -> Published.fromJson(reply.body()))
      .recover(e -> Future.failedFuture(refusal(e)));
  }

  private static PublishException refusal(Throwable e) {
    if (e instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case RECIPIENT_FAILURE -> new PublishException(reply.failureCode(), String.valueOf(reply.getMessage()), "", 0);
        case TIMEOUT -> new PublishException(PublishException.NO_ANSWER, "no_answer", "timed out", 0);
        default -> new PublishException(PublishException.NO_ANSWER, "no_answer", "no hub node on the event bus", 0);
      };
    }
    return new PublishException(PublishException.NO_ANSWER, "no_answer", String.valueOf(e.getMessage()), 0);
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
