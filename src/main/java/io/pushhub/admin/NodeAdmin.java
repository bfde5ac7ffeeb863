package io.pushhub.admin;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.function.Function;

/**
 * This node's side of the admin API: answers requests on {@code pushhub.admin.<node id>}, from
 * whichever node an admin asked. Actions: {@code summary}, {@code connections} (with {@code topic},
 * {@code user}, {@code limit}), {@code close} ({@code id}) and {@code drain}.
 */
public final class NodeAdmin {

  public static final String ADDRESS_PREFIX = "pushhub.admin.";

  /** What a node can tell and do; implemented by the hub. */
  public interface Node {
    Future<JsonObject> summary();

    Future<JsonObject> connections(String topic, String user, int limit);

    Future<Boolean> close(String connectionId);

    void drain();
  }

  private NodeAdmin() {
  }

  public static Future<MessageConsumer<JsonObject>> register(EventBus bus, String nodeId, Node node) {
    MessageConsumer<JsonObject> consumer = bus.consumer(ADDRESS_PREFIX + nodeId, message -> {
      JsonObject request = message.body();
      Function<JsonObject, Future<JsonObject>> action = switch (request.getString("action", "")) {
        case "summary" -> r -> node.summary();
        case "connections" -> r -> node.connections(r.getString("topic"), r.getString("user"), r.getInteger("limit", 100));
        case "close" -> r -> node.close(r.getString("id")).map(closed -> new JsonObject().put("closed", closed));
        case "drain" -> r -> {
          node.drain();
          return Future.succeededFuture(new JsonObject());
        };
        default -> null;
      };
      if (action == null) {
        message.fail(400, "bad_request");
        return;
      }
      action.apply(request).onComplete(ar -> {
        if (ar.succeeded()) {
          message.reply(ar.result());
        } else {
          message.fail(500, String.valueOf(ar.cause().getMessage()));
        }
      });
    });
    return consumer.completion().map(consumer);
  }
}
