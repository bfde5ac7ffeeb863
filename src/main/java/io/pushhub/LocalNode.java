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

  private final Hub hub;
  private final String name;
  private final String httpAddress;

  LocalNode(Hub hub, String name, String httpAddress) {
    this.hub = hub;
    this.name = name;
    this.httpAddress = httpAddress;
  }

  private Future<List<HubVerticle.InstanceView>> views() {
    List<Future<HubVerticle.InstanceView>> views = hub.instances().stream().map(HubVerticle::view).toList();
    return Future.all(views).map(all -> views.stream().map(Future::result).toList());
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
      return new JsonObject().put("id", hub.nodeId()).put("name", name).put("httpAddress", httpAddress)
        .put("connections", connections)
        .put("subscriptions", topics.values().stream().mapToInt(Integer::intValue).sum())
        .put("uptimeSeconds", (System.currentTimeMillis() - hub.startedAtMillis()) / 1000)
        .put("draining", hub.draining())
        .put("breaker", hub.breaker().stateName())
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
            list.add(new JsonObject().put("id", s.id()).put("node", hub.nodeId()).put("user", s.user())
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
    List<Future<Boolean>> attempts = hub.instances().stream().map(i -> i.close(connectionId)).toList();
    return Future.all(attempts).map(all -> attempts.stream().anyMatch(Future::result));
  }

  @Override
  public void drain() {
    hub.drainFromAdmin();
  }
}
