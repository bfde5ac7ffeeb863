package io.pushhub.mercure;

import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.pushhub.http.Errors;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;

/**
 * The subscriptions API (docs/mercure.md): {@code GET /.well-known/mercure/subscriptions},
 * {@code …/{topic}} and {@code …/{topic}/{subscriber}}, JSON-LD documents of the active
 * subscriptions of every node, with the {@code lastEventID} of the newest subscription event.
 * The newest id is read before the list: a client that subscribes from it misses no change the
 * list did not show.
 */
public final class SubscriptionsHandler implements Handler<RoutingContext> {

  /** The route's paths: the collection, and anything below it. */
  public static final String PATH = ActiveSubscription.PATH;
  public static final String PATHS_BELOW = "/\\.well-known/mercure/subscriptions/.*";
  private static final String CONTENT_TYPE = "application/ld+json";

  private final MercureAccess access;
  private final ActiveSubscriptions active;

  public SubscriptionsHandler(MercureAccess access, ActiveSubscriptions active) {
    this.access = access;
    this.active = active;
  }

  /** The topic selector and subscriber the path names; {@code null} for what it leaves out. */
  private record Query(String topic, String subscriber) {
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.request().path();
    Query query;
    try {
      query = query(path);
    } catch (HubException e) {
      ctx.fail(e);
      return;
    }
    if (query == null) {
      Errors.send(ctx.response(), 404, "not_found", "no such route");
      return;
    }
    access.subscriptionsReader(ctx.request(), path)
      .compose(v -> active.lastEventId())
      .compose(lastEventId -> active.all().map(all -> answer(path, query, lastEventId, all)))
      .onSuccess(body -> {
        if (body == null) {
          Errors.send(ctx.response(), 404, "not_found", "no such subscription");
        } else {
          ctx.response().putHeader("Content-Type", CONTENT_TYPE).end(body.encode());
        }
      })
      .onFailure(ctx::fail);
  }

  /** The parts of the path below the collection, decoded; {@code null} when there are more than two. */
  static Query query(String path) {
    if (path.equals(PATH) || path.equals(PATH + "/")) {
      return new Query(null, null);
    }
    String[] parts = path.substring(PATH.length() + 1).split("/", -1);
    if (parts.length > 2 || parts[0].isEmpty() || parts.length == 2 && parts[1].isEmpty()) {
      return null;
    }
    return new Query(decode(parts[0]), parts.length == 2 ? decode(parts[1]) : null);
  }

  /** As the reference hub reads these segments: percent-escapes, and {@code +} for a space. */
  private static String decode(String segment) {
    try {
      return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new HubException(HubError.BAD_REQUEST, "malformed percent-escape in the path");
    }
  }

  /** The document to answer, {@code null} when one subscription was asked for and is not active. */
  static JsonObject answer(String path, Query query, String lastEventId, List<ActiveSubscription> all) {
    if (query.subscriber() != null) {
      return all.stream().filter(s -> s.topic().equals(query.topic()) && s.subscriber().equals(query.subscriber()))
        .findFirst().map(s -> new JsonObject().put("@context", ActiveSubscription.CONTEXT).mergeIn(s.document(true))
          .put("lastEventID", lastEventId)).orElse(null);
    }
    JsonArray subscriptions = new JsonArray();
    all.stream().filter(s -> query.topic() == null || s.topic().equals(query.topic()))
      .sorted(Comparator.comparing(ActiveSubscription::id)).forEach(s -> subscriptions.add(s.document(true)));
    return new JsonObject().put("@context", ActiveSubscription.CONTEXT).put("id", path).put("type", "Subscriptions")
      .put("lastEventID", lastEventId).put("subscriptions", subscriptions);
  }
}
