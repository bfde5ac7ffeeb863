package io.pushhub.publish;

import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.pushhub.error.Rejections;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests to {@code pushhub.publish} on the event bus. Cluster members are trusted: no token,
 * no loopback rule, no per-client rate. A refusal fails the reply with the HTTP status as code
 * and the error code as message.
 */
public final class PublishConsumer {

  public static final String ADDRESS = "pushhub.publish";
  private static final Logger log = LoggerFactory.getLogger(PublishConsumer.class);

  private PublishConsumer() {
  }

  public static Future<MessageConsumer<Object>> register(EventBus bus, PublishService service) {
    MessageConsumer<Object> consumer = bus.consumer(ADDRESS, (Message<Object> message) -> {
      if (!(message.body() instanceof JsonObject body)) {
        fail(message, new HubException(HubError.BAD_REQUEST, "body must be a JSON object"));
        return;
      }
      service.publish(body).onComplete(ar -> {
        if (ar.succeeded()) {
          message.reply(ar.result());
        } else if (ar.cause() instanceof HubException e) {
          fail(message, e);
        } else {
          log.error("publish failed", ar.cause());
          fail(message, new HubException(HubError.UNAVAILABLE, "the publish path is unavailable"));
        }
      });
    });
    return consumer.completion().map(consumer);
  }

  private static void fail(Message<Object> message, HubException e) {
    Rejections.count(e.error());
    message.fail(e.error().status(), e.error().code());
  }
}
