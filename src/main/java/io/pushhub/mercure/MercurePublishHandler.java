package io.pushhub.mercure;

import io.pushhub.error.HubException;
import io.pushhub.event.Event;
import io.pushhub.http.BoundedBody;
import io.pushhub.http.Clients;
import io.pushhub.http.RequestIds;
import io.pushhub.limits.Limits;
import io.pushhub.mercure.MercureIds.Location;
import io.pushhub.publish.PublishRequest;
import io.pushhub.publish.PublishService;
import io.pushhub.replay.ReplayStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * {@code POST /.well-known/mercure} (docs/mercure.md): the form, the publisher's rights over every
 * topic, then pushhub's one publish path; the answer is the update's id as {@code text/plain}.
 * A publisher's own id goes into the id index before the answer, so that any node resumes after it.
 */
public final class MercurePublishHandler implements Handler<RoutingContext> {

  private static final Logger log = LoggerFactory.getLogger(MercurePublishHandler.class);
  /** Room for the form's names, separators and percent-escapes (up to 3 bytes per byte) around the data. */
  private static final int FORM_OVERHEAD = 64 * 1024;

  private final PublishService service;
  private final MercureAccess access;
  private final MercureIdIndex index;
  private final Limits limits;
  private final Clients clients;
  private final int maxEventBytes;

  public MercurePublishHandler(PublishService service, MercureAccess access, MercureIdIndex index, Limits limits,
                               Clients clients, int maxEventBytes) {
    this.service = service;
    this.access = access;
    this.index = index;
    this.limits = limits;
    this.clients = clients;
    this.maxEventBytes = maxEventBytes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String contentType = ctx.request().getHeader("Content-Type");
    BoundedBody.read(ctx.request(), maxEventBytes * 3L + FORM_OVERHEAD)
      .map(body -> MercureUpdate.parse(contentType, body.getBytes(), maxEventBytes))
      .compose(update -> access.publisher(ctx.request(), update.topics()).compose(claims -> {
        limits.publish(clients.key(ctx.request(), claims == null ? null : claims.subject()));
        return service.publish(request(update));
      }))
      .compose(this::remember)
      .onSuccess(id -> ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(id))
      .onFailure(cause -> ctx.fail(!ctx.request().isEnded() ? cause : HubException.of(cause, fault -> {
        log.error("mercure publish failed {}", kv("requestId", RequestIds.of(ctx)), fault);
        return PublishService.FAULT;
      })));
  }

  static PublishRequest request(MercureUpdate update) {
    return new PublishRequest(update.canonical(), update.type(), update.data(), null, new Event.Mercure(
      update.alternates(), update.isPrivate(), update.id(), update.retry() == null ? 0 : update.retry()));
  }

  /** The update's id, once a publisher's own is in the index. */
  private Future<String> remember(ReplayStore.Appended appended) {
    Event event = appended.event();
    String id = MercureIds.of(event);
    if (event.mercure() == null || event.mercure().id() == null) {
      return Future.succeededFuture(id);
    }
    return index.put(id, new Location(event.topic(), event.position())).map(id);
  }
}
