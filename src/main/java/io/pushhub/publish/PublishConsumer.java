package io.pushhub.publish;

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
 * no loopback rule, no per-client rate. The event bus's one reply mapper: a refusal fails the
 * reply with the HTTP status as code and the error code as message, counted in the node's
 * {@link Rejections}.
 */
public final class PublishConsumer {

  public static final String ADDRESS = "pushhub.publish";
  private static final Logger log = LoggerFactory.getLogger(PublishConsumer.class);

  private PublishConsumer() {
  }

  public static Future<MessageConsumer<Object>> register(EventBus bus, PublishService service, Rejections rejections) {
    MessageConsumer<Object> consumer = bus.consumer(ADDRESS, (Message<Object> message) -> {
      PublishRequest request;
      try {
        request = PublishJson.read(message.body() instanceof JsonObject body ? body : null);
      } catch (HubException e) {
        fail(message, e, rejections);
        return;
      }
      PublishTrace trace = service.traceMessage(request.topic());
      service.publish(request, trace).onComplete(outcome -> PublishTrace.end(trace, outcome))
        .map(PublishJson::reply).onSuccess(message::reply).onFailure(cause -> fail(message, HubException.of(cause, fault -> {
          try (PublishTrace.Ids ids = PublishTrace.logIds(trace)) {
            log.error("publish failed", fault);
          }
          return PublishService.FAULT;
        }), rejections));
    });
    return consumer.completion().map(consumer);
  }

  private static void fail(Message<Object> message, HubException e, Rejections rejections) {
    rejections.count(e.error());
    message.fail(e.error().status(), e.error().code());
  }
}
