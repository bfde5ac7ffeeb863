package io.pushhub.admin;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Asks hub nodes over the event bus, with a timeout: a node that does not answer is reported as
 * such and never hangs the admin request.
 */
public final class ClusterAdmin {

  /** With the node list's own bound, an admin answer takes at most about two seconds. */
  private static final long TIMEOUT_MILLIS = 1500;

  private final EventBus bus;
  private final Supplier<Future<List<String>>> hubNodes;

  /** @param hubNodes the ids of the hub nodes now in the cluster (never publishers or tools) */
  public ClusterAdmin(EventBus bus, Supplier<Future<List<String>>> hubNodes) {
    this.bus = bus;
    this.hubNodes = hubNodes;
  }

  /** Asks every hub node; each answer carries {@code id}, and {@code error} if the node did not answer. */
  public Future<List<JsonObject>> askAll(JsonObject request) {
    return hubNodes.get().compose(ids -> {
      List<Future<JsonObject>> answers = new ArrayList<>();
      for (String id : ids) {
        answers.add(ask(id, request).map(a -> a.put("id", id))
          .otherwise(e -> new JsonObject().put("id", id).put("error", "unreachable: " + e.getMessage())));
      }
      return Future.join(answers).map(all -> answers.stream().map(Future::result).toList());
    });
  }

  public Future<JsonObject> ask(String nodeId, JsonObject request) {
    return bus.<JsonObject>request(NodeAdmin.ADDRESS_PREFIX + nodeId, request,
      new DeliveryOptions().setSendTimeout(TIMEOUT_MILLIS)).map(m -> m.body());
  }

  public Future<Boolean> isHubNode(String nodeId) {
    return hubNodes.get().map(ids -> ids.contains(nodeId));
  }
}
