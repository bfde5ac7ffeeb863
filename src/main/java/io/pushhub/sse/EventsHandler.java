package io.pushhub.sse;

import io.pushhub.auth.Access;
import io.pushhub.auth.Caller;
import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.pushhub.event.Topics;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.pushhub.http.QueryString.parse;

/** {@code GET /events}: validates the request (docs/protocol.md), then opens an {@link SseConnection}. */
public final class EventsHandler implements Handler<RoutingContext> {

  private final StreamOpener opener;
  private final Access access;

  public EventsHandler(StreamOpener opener, Access access) {
    this.opener = opener;
    this.access = access;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    try {
      opener.checkTaking();
      Map<String, List<String>> query = parse(request.query());
      List<String> topics = topics(query);
      String resumeFrom = StreamOpener.lastEventId(request, query, "lastEventId");
      access.subscribe(request, topics).onComplete(ar -> {
        if (ar.failed()) {
          ctx.fail(ar.cause());
          return;
        }
        Caller caller = ar.result();
        String[] names = topics.toArray(String[]::new);
        opener.open(ctx, caller == null ? null : caller.subject(), topics, names.length,
          caller == null ? Long.MAX_VALUE : caller.expiresAtMillis(),
          stream -> new EventFlow(stream, names, opener.deps(), resumeFrom, caller != null));
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
      if (unique.size() > opener.maxTopics()) {
        throw new HubException(HubError.BAD_REQUEST,
          "too many topics: at most " + opener.maxTopics() + " per connection");
      }
    }
    return List.copyOf(new ArrayList<>(unique));
  }
}
