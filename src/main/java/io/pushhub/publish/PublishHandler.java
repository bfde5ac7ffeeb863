package io.pushhub.publish;

import io.pushhub.error.HubError;
import io.pushhub.http.RequestIds;
import io.pushhub.error.HubException;
import io.pushhub.auth.Access;
import io.pushhub.http.Clients;
import io.pushhub.limits.Limits;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.logstash.logback.argument.StructuredArguments.kv;

/** {@code POST /publish}, after the body handler: rights (docs/protocol.md), then the one publish path. */
public final class PublishHandler implements Handler<RoutingContext> {

  private static final Logger log = LoggerFactory.getLogger(PublishHandler.class);

  private final PublishService service;
  private final Access access;
  private final Limits limits;
  private final Clients clients;

  public PublishHandler(PublishService service, Access access, Limits limits, Clients clients) {
    this.service = service;
    this.access = access;
    this.limits = limits;
    this.clients = clients;
  }

  /**
   * Runs before the body is read: anything but JSON is refused without buffering it (and without
   * vertx-web's form decoder, which a multipart body with a malformed query string leaves hanging).
   */
  public static void requireJson(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    // The media type exactly, parameters allowed: not application/jsonx nor application/json-patch+json.
    if (type == null || !type.split(";", 2)[0].trim().equalsIgnoreCase("application/json")) {
      ctx.fail(new HubException(HubError.BAD_REQUEST, "Content-Type must be application/json"));
      return;
    }
    ctx.next();
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonObject body;
    try {
      body = StrictJson.object(ctx.body().buffer());
    } catch (HubException e) {
      ctx.fail(e);
      return;
    }
    String topic = body != null && body.getValue("topic") instanceof String t ? t : null;
    PublishTrace trace = service.traceRequest(ctx.request().headers(), topic);
    access.publish(ctx.request(), topic).compose(caller -> {
      limits.publish(clients.key(ctx.request(), caller == null ? null : caller.subject()));
      return service.publish(PublishJson.read(body), trace);
    }).onComplete(outcome -> PublishTrace.end(trace, outcome))
      .onSuccess(appended -> ctx.response().putHeader("Content-Type", "application/json")
        .end(PublishJson.reply(appended).encode()))
      .onFailure(cause -> ctx.fail(HubException.of(cause, fault -> {
        try (PublishTrace.Ids ids = PublishTrace.logIds(trace)) {
          log.error("publish failed {}", kv("requestId", RequestIds.of(ctx)), fault);
        }
        return PublishService.FAULT;
      })));
  }
}
