package io.pushhub.admin;

import io.pushhub.config.HubConfig;
import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.pushhub.event.Cursor;
import io.pushhub.event.Position;
import io.pushhub.event.Event;
import io.pushhub.event.Topics;
import io.pushhub.http.Errors;
import io.pushhub.http.QueryString;
import io.pushhub.http.RequestIds;
import io.pushhub.replay.ReplayStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static net.logstash.logback.argument.StructuredArguments.kv;

/** The admin JSON API of docs/protocol.md, answered cluster-wide from whichever node is asked. */
public final class AdminRoutes {

  private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);

  private static final int MAX_LIMIT = 10_000;

  private final ClusterAdmin cluster;
  private final ReplayStore store;
  private final HubConfig config;
  private final Handler<RoutingContext> access;

  /** @param access lets an admin through ({@code ctx.next()}) or answers the refusal */
  public AdminRoutes(ClusterAdmin cluster, ReplayStore store, HubConfig config, Handler<RoutingContext> access) {
    this.cluster = cluster;
    this.store = store;
    this.config = config;
    this.access = access;
  }

  public void mount(Router router) {
    router.route("/admin/*").handler(access);
    router.get("/admin/cluster").handler(this::clusterView);
    router.get("/admin/topics").handler(this::topics);
    router.get("/admin/topics/:topic").handler(this::topic);
    router.delete("/admin/topics/:topic/history").handler(this::purge);
    router.get("/admin/connections").handler(this::connections);
    router.delete("/admin/connections/:id").handler(this::closeConnection);
    router.post("/admin/nodes/:id/drain").handler(this::drain);
    router.get("/admin/config").handler(ctx -> json(ctx, 200, config.toRedactedJson()));
  }

  private void clusterView(RoutingContext ctx) {
    reply(ctx, cluster.askAll(new JsonObject().put("action", "summary")).map(answers -> {
      JsonArray nodes = new JsonArray();
      long connections = 0;
      long subscriptions = 0;
      TreeSet<String> topics = new TreeSet<>();
      for (JsonObject node : answers) {
        JsonObject topicCounts = (JsonObject) node.remove("topics");
        if (topicCounts != null) {
          topics.addAll(topicCounts.fieldNames());
        }
        connections += node.getLong("connections", 0L);
        subscriptions += node.getLong("subscriptions", 0L);
        nodes.add(node);
      }
      return new JsonObject().put("nodes", nodes).put("connections", connections)
        .put("subscriptions", subscriptions).put("topics", topics.size());
    }));
  }

  private void topics(RoutingContext ctx) {
    String prefix = query(ctx, "prefix") == null ? "" : query(ctx, "prefix");
    int limit = limit(ctx, 100);
    reply(ctx, subscriberCounts().compose(counts -> store.topics(prefix, limit).compose(stored -> {
      TreeSet<String> names = new TreeSet<>(stored);
      counts.perTopic().keySet().stream().filter(t -> t.startsWith(prefix)).forEach(names::add);
      List<Future<JsonObject>> rows = names.stream().limit(limit)
        .map(t -> topicRow(t, counts.of(t))).toList();
      return Future.all(rows).map(all -> counts.flag(new JsonObject().put("topics",
        new JsonArray(rows.stream().map(Future::result).map(Object.class::cast).toList()))));
    })));
  }

  private void topic(RoutingContext ctx) {
    String topic = topicParam(ctx);
    int events = intParam(ctx, "events", 10, 0, MAX_LIMIT);
    reply(ctx, subscriberCounts().compose(counts -> topicRow(topic, counts.of(topic)).map(counts::flag))
      .compose(row -> store.latest(topic, events).map(latest -> {
        JsonArray list = new JsonArray();
        latest.forEach(e -> list.add(eventJson(e)));
        return row.put("events", list);
      })));
  }

  private void purge(RoutingContext ctx) {
    String topic = topicParam(ctx);
    log.info("admin purge {} {}", kv("requestId", RequestIds.of(ctx)), kv("topic", topic));
    store.purge(topic).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().setStatusCode(204).end();
      } else {
        failed(ctx, ar.cause());
      }
    });
  }

  private void connections(RoutingContext ctx) {
    int limit = limit(ctx, 100);
    JsonObject request = new JsonObject().put("action", "connections").put("limit", limit)
      .put("topic", query(ctx, "topic")).put("user", query(ctx, "user"));
    reply(ctx, cluster.askAll(request).map(answers -> {
      JsonArray all = new JsonArray();
      for (JsonObject answer : answers) {
        JsonArray some = answer.getJsonArray("connections", new JsonArray());
        for (int i = 0; i < some.size() && all.size() < limit; i++) {
          all.add(some.getValue(i));
        }
      }
      return flagUnanswered(new JsonObject().put("connections", all), answers);
    }));
  }

  private void closeConnection(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    int dash = id.lastIndexOf('-');
    if (dash <= 0) {
      Errors.send(ctx.response(), 404, "not_found", "no such connection");
      return;
    }
    String node = id.substring(0, dash);
    log.info("admin close {} {}", kv("requestId", RequestIds.of(ctx)), kv("connection", id));
    cluster.isHubNode(node).compose(known -> known
        ? cluster.ask(node, new JsonObject().put("action", "close").put("id", id)).map(r -> r.getBoolean("closed"))
        : Future.succeededFuture(false))
      .onComplete(ar -> {
        if (ar.failed()) {
          failed(ctx, ar.cause());
        } else if (ar.result()) {
          ctx.response().setStatusCode(204).end();
        } else {
          Errors.send(ctx.response(), 404, "not_found", "no such connection");
        }
      });
  }

  private void drain(RoutingContext ctx) {
    String node = ctx.pathParam("id");
    log.info("admin drain {} {}", kv("requestId", RequestIds.of(ctx)), kv("node", node));
    cluster.isHubNode(node).onComplete(ar -> {
      if (ar.failed()) {
        failed(ctx, ar.cause());
      } else if (!ar.result()) {
        Errors.send(ctx.response(), 404, "not_found", "no such node");
      } else {
        cluster.ask(node, new JsonObject().put("action", "drain")).onComplete(done -> {
          if (done.succeeded()) {
            json(ctx, 202, new JsonObject().put("id", node).put("draining", true));
          } else {
            failed(ctx, done.cause());
          }
        });
      }
    });
  }

  /** Subscribers per topic, summed over the nodes that answered, and the answers. */
  private Future<SubscriberCounts> subscriberCounts() {
    return cluster.askAll(new JsonObject().put("action", "summary")).map(answers -> {
      Map<String, Long> counts = new TreeMap<>();
      for (JsonObject node : answers) {
        JsonObject topics = node.getJsonObject("topics", new JsonObject());
        topics.forEach(e -> counts.merge(e.getKey(), ((Number) e.getValue()).longValue(), Long::sum));
      }
      return new SubscriberCounts(counts, answers);
    });
  }

  private record SubscriberCounts(Map<String, Long> perTopic, List<JsonObject> answers) {
    long of(String topic) {
      return perTopic.getOrDefault(topic, 0L);
    }

    JsonObject flag(JsonObject reply) {
      return flagUnanswered(reply, answers);
    }
  }

  /**
   * Counts summed over the nodes that answered are short by those that did not: the reply says
   * which, as {@code unanswered: [{id, error}]}, rather than look complete.
   */
  private static JsonObject flagUnanswered(JsonObject reply, List<JsonObject> answers) {
    JsonArray unanswered = new JsonArray();
    for (JsonObject answer : answers) {
      if (answer.containsKey("error")) {
        unanswered.add(new JsonObject().put("id", answer.getString("id")).put("error", answer.getString("error")));
      }
    }
    return unanswered.isEmpty() ? reply : reply.put("unanswered", unanswered);
  }

  private Future<JsonObject> topicRow(String topic, long subscribers) {
    return store.stats(topic).compose(stats -> lastId(topic, stats.head()).map(lastId -> new JsonObject()
      .put("topic", topic).put("subscribers", subscribers)
      .put("retained", stats.retained())
      .put("lastId", lastId)
      .put("published", stats.head().seq())));
  }

  /** The cursor of the topic's last event, with its check while the event is retained; null before any. */
  private Future<String> lastId(String topic, Position head) {
    if (head.seq() == 0) {
      return Future.succeededFuture(null);
    }
    return store.latest(topic, 1).map(latest -> latest.size() == 1 && latest.get(0).position().equals(head)
      ? latest.get(0).cursor() : Cursor.of(topic, head, Cursor.NO_CHECK));
  }

  private static JsonObject eventJson(Event e) {
    return new JsonObject().put("id", e.cursor()).put("event", e.type() == null ? "message" : e.type())
      .put("data", e.data())
      .put("publishedAt", Instant.ofEpochSecond(e.publishedAtMicros() / 1_000_000, e.publishedAtMicros() % 1_000_000 * 1000).toString());
  }

  /** Query values decoded strictly, as everywhere else (a lenient decoder turns bad bytes into U+FFFD). */
  private static String query(RoutingContext ctx, String name) {
    return QueryString.first(ctx.request().query(), name);
  }

  /** The topic segment of /admin/topics/{topic}[/history], from the raw path and strictly decoded. */
  private static String topicParam(RoutingContext ctx) {
    String[] segments = ctx.request().path().split("/", -1);
    String topic = QueryString.decodeSegment(segments[3]);
    String invalid = Topics.invalidReason(topic);
    if (invalid != null) {
      throw new HubException(HubError.BAD_REQUEST, invalid);
    }
    return topic;
  }

  private static int limit(RoutingContext ctx, int defaultValue) {
    return intParam(ctx, "limit", defaultValue, 1, MAX_LIMIT);
  }

  private static int intParam(RoutingContext ctx, String name, int defaultValue, int min, int max) {
    String value = query(ctx, name);
    if (value == null || value.isEmpty()) {
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(value);
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new HubException(HubError.BAD_REQUEST, name + " must be a number from " + min + " to " + max);
    }
  }

  private static void reply(RoutingContext ctx, Future<JsonObject> answer) {
    answer.onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx, 200, ar.result());
      } else {
        failed(ctx, ar.cause());
      }
    });
  }

  /** A refusal as it is; anything else (a node or the store not answering) is 503. */
  private static void failed(RoutingContext ctx, Throwable cause) {
    ctx.fail(HubException.of(cause, fault -> new HubException(HubError.UNAVAILABLE, String.valueOf(fault.getMessage()))));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
