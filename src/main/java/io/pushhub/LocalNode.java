package io.pushhub;

import io.pushhub.admin.NodeAdmin;
import io.pushhub.sse.StreamInfo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** This node as the admin API sees it: its instances' streams and topics, summed. */
final class LocalNode implements NodeAdmin.Node {

  private final NodeParts parts;
  private final String name;
  private final String httpAddress;
  private final Runnable drain;

  /** {@code drain} drains the node when an operator asks for it. */
  LocalNode(NodeParts parts, String name, String httpAddress, Runnable drain) {
    this.parts = parts;
    this.name = name;
    this.httpAddress = httpAddress;
    this.drain = drain;
  }

  private Future<List<HubVerticle.InstanceView>> views() {
    return parts.instances().views();
  }

  @Override
  public Future<JsonObject> summary() {
    return views().map(views -> {
      Map<String, Integer> topics = new HashMap<>();
      int connections = 0;
      for (HubVerticle.InstanceView view : views) {
        view.topics().forEach((topic, n) -> topics.merge(topic, n, Integer::sum));
        connections += view.streams().size();
      }
      JsonObject counts = new JsonObject();
      topics.forEach(counts::put);
      return new JsonObject().put("id", parts.nodeId()).put("name", name).put("httpAddress", httpAddress)
        .put("connections", connections)
        .put("subscriptions", topics.values().stream().mapToInt(Integer::intValue).sum())
        .put("uptimeSeconds", (System.currentTimeMillis() - parts.startedAtMillis()) / 1000)
        .put("draining", parts.health().draining())
        .put("breaker", parts.breaker().stateName())
        .put("topics", counts);
    });
  }

  @Override
  public Future<JsonObject> connections(String topic, String user, int limit) {
    return views().map(views -> {
      JsonArray list = new JsonArray();
      for (HubVerticle.InstanceView view : views) {
        for (StreamInfo s : view.streams()) {
          if (list.size() < limit && (topic == null || s.topics().contains(topic))
            && (user == null || user.equals(s.user()))) {
            list.add(new JsonObject().put("id", s.id()).put("node", parts.nodeId()).put("user", s.user())
              .put("remote", s.remote()).put("topics", new JsonArray(List.copyOf(s.topics())))
              .put("since", Instant.ofEpochMilli(s.openedAtMillis()).toString())
              .put("eventsSent", s.eventsSent()).put("bytesSent", s.bytesSent()));
          }
        }
      }
      return new JsonObject().put("connections", list);
    });
  }

  @Override
  public Future<Boolean> close(String connectionId) {
    return parts.instances().close(connectionId);
  }

  @Override
  public void drain() {
    drain.run();
  }
}
