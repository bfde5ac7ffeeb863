package io.pushhub.sse;

import io.pushhub.auth.Access;
import io.pushhub.auth.Caller;
import io.pushhub.broadcast.LocalSubscribers;
import io.pushhub.config.HubConfig;
import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.pushhub.event.Topics;
import io.pushhub.http.Clients;
import io.pushhub.http.RequestIds;
import io.pushhub.limits.Limits;
import io.pushhub.metrics.HubMetrics;
import io.pushhub.replay.ReplayStore;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static io.pushhub.http.QueryString.parse;

/** {@code GET /events}: validates the request (docs/protocol.md), then opens an {@link SseConnection}. */
public final class EventsHandler implements Handler<RoutingContext> {

  private static final AtomicLong CONNECTION_COUNTER = new AtomicLong();

  private final String nodeId;
  private final StreamSettings settings;
  private final Clients clients;
  private final StreamDeps deps;
  private final Supplier<HubException> refusal;
  private final Access access;

  public EventsHandler(String nodeId, HubConfig config, ReplayStore store, LocalSubscribers subscribers,
                       LocalStreams streams, HubMetrics metrics, Supplier<HubException> refusal, Access access,
                       Limits limits) {
    this.access = access;
    this.nodeId = nodeId;
    this.settings = StreamSettings.of(config.sse());
    this.clients = new Clients(config.http());
    this.deps = new StreamDeps(settings, store, subscribers, streams, metrics, limits);
    this.refusal = refusal;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    try {
      HubException notTaken = refusal.get();
      if (notTaken != null) {
        throw notTaken;
      }
      Map<String, List<String>> query = parse(request.query());
      List<String> topics = topics(query);
      String cursor = request.getHeader("Last-Event-ID");
      if (cursor == null || cursor.isEmpty()) {
        List<String> fromQuery = query.get("lastEventId");
        cursor = fromQuery == null || fromQuery.get(0).isEmpty() ? null : fromQuery.get(0);
      }
      String resumeFrom = cursor;
      access.subscribe(request, topics).onComplete(ar -> {
        if (ar.failed()) {
          ctx.fail(ar.cause());
          return;
        }
        if (ctx.response().closed()) {
          return; // the client left while its token was being checked: no stream to open
        }
        Caller caller = ar.result();
        String client = clients.key(request, caller == null ? null : caller.subject());
        try {
          deps.limits().openStream(client);
        } catch (HubException refused) {
          ctx.fail(refused);
          return;
        }
        String id = nodeId + "-" + Long.toString(CONNECTION_COUNTER.incrementAndGet(), 36);
        StreamInfo info = new StreamInfo(id, RequestIds.of(ctx), clients.remote(request),
          caller == null ? null : caller.subject(), client, topics, System.currentTimeMillis());
        new SseConnection(info, request, deps).start(resumeFrom, caller == null ? Long.MAX_VALUE : caller.expiresAtMillis());
      });
    } catch (HubException e) {
      ctx.fail(e);
    }
  }

  private List<String> topics(Map<String, List<String>> query) {
    List<String> given = query.getOrDefault("topic", List.of());
    if (given.isEmpty()) {
      throw new HubException(HubError.BAD_REQUEST, "at least one topic parameter is required");
    }
    Set<String> unique = new LinkedHashSet<>();
    for (String topic : given) {
      String invalid = Topics.invalidReason(topic);
      if (invalid != null) {
        throw new HubException(HubError.BAD_REQUEST, invalid);
      }
      unique.add(topic);
      if (unique.size() > settings.maxTopics()) {
        throw new HubException(HubError.BAD_REQUEST,
          "too many topics: at most " + settings.maxTopics() + " per connection");
      }
    }
    return List.copyOf(new ArrayList<>(unique));
  }
}
