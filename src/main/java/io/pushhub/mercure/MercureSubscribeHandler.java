package io.pushhub.mercure;

import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.pushhub.replay.ReplayStore;
import io.pushhub.sse.StreamOpener;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import static io.pushhub.http.QueryString.parse;

/**
 * {@code GET /.well-known/mercure} (docs/mercure.md): the topic selectors, the subscriber's rights,
 * where it resumes from (which the response's {@code Last-Event-ID} header tells), then a stream
 * of pushhub's with a {@link MercureFlow}.
 */
public final class MercureSubscribeHandler implements Handler<RoutingContext> {

  public static final String PATH = "/.well-known/mercure";

  private final StreamOpener opener;
  private final MercureAccess access;
  private final MercureSubscribers subscribers;
  private final ReplayStore store;
  private final MercureIdIndex index;
  private final ActiveSubscriptions active;

  /** @param active where streams list their subscriptions, {@code null} when {@code mercure.subscriptions} is off */
  public MercureSubscribeHandler(StreamOpener opener, MercureAccess access, MercureSubscribers subscribers,
                                 ReplayStore store, MercureIdIndex index, ActiveSubscriptions active) {
    this.opener = opener;
    this.access = access;
    this.subscribers = subscribers;
    this.store = store;
    this.index = index;
    this.active = active;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    try {
      opener.checkTaking();
      Map<String, List<String>> query = parse(request.query());
      List<String> selectors = selectors(query);
      String lastEventId = StreamOpener.lastEventId(request, query, "lastEventID");
      access.subscriber(request)
        .compose(claims -> MercureResume.of(lastEventId, index, store).map(resume -> new Start(claims, resume)))
        .onSuccess(start -> open(ctx, selectors, start.claims(), start.resume()))
        .onFailure(ctx::fail);
    } catch (HubException e) {
      ctx.fail(e);
    }
  }

  private record Start(MercureClaims claims, MercureResume resume) {
  }

  private void open(RoutingContext ctx, List<String> selectors, MercureClaims claims, MercureResume resume) {
    ActiveSubscriptions.Stream listed;
    try {
      listed = active == null ? null : active.reserve(selectors, claims);
    } catch (HubException e) {
      ctx.fail(e);
      return;
    }
    if (resume.header() != null) {
      ctx.response().putHeader("Last-Event-ID", resume.header());
    }
    List<String> exact = new ArrayList<>();
    List<String> patterns = new ArrayList<>();
    for (String selector : selectors) {
      (Selectors.isPattern(selector) ? patterns : exact).add(selector);
    }
    Selectors patternSet = Selectors.of(patterns);
    opener.open(ctx, claims == null ? null : claims.subject(), selectors, exact.size(),
      claims == null ? Long.MAX_VALUE : claims.expiresAtMillis(),
      stream -> new MercureFlow(stream, subscribers, store, claims, List.copyOf(exact), patternSet, resume,
        opener.maxQueuedBytes(), listed));
    if (listed != null) {
      listed.releaseUnopened();
    }
  }

  private static List<String> selectors(Map<String, List<String>> query) {
    List<String> given = query.getOrDefault("topic", List.of());
    LinkedHashSet<String> unique = new LinkedHashSet<>();
    for (String selector : given) {
      if (!selector.isEmpty()) {
        unique.add(selector);
      }
    }
    if (unique.isEmpty()) {
      throw new HubException(HubError.BAD_REQUEST, "at least one topic parameter is required");
    }
    if (unique.size() > Selectors.MAX) {
      throw new HubException(HubError.BAD_REQUEST, "too many topics: at most " + Selectors.MAX + " selectors");
    }
    return List.copyOf(unique);
  }
}
