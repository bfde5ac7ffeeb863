package io.pushhub;

import io.pushhub.admin.AdminRoutes;
import io.pushhub.admin.Dashboard;
import io.pushhub.auth.Access;
import io.pushhub.broadcast.LocalSubscribers;
import io.pushhub.delivery.RunDelivery;
import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.pushhub.http.Clients;
import io.pushhub.http.Cors;
import io.pushhub.http.Errors;
import io.pushhub.http.Failures;
import io.pushhub.http.InvalidRequests;
import io.pushhub.http.RequestDeadlines;
import io.pushhub.http.RequestIds;
import io.pushhub.http.ServerOptions;
import io.pushhub.http.StrictRequestDecoder;
import io.pushhub.mercure.MercureAccess;
import io.pushhub.mercure.MercurePublishHandler;
import io.pushhub.mercure.MercureSubscribeHandler;
import io.pushhub.mercure.MercureSubscribers;
import io.pushhub.mercure.SubscriptionsHandler;
import io.pushhub.publish.PublishConsumer;
import io.pushhub.publish.PublishHandler;
import io.pushhub.sse.CloseReason;
import io.pushhub.sse.EventsHandler;
import io.pushhub.sse.LocalStreams;
import io.pushhub.sse.StreamInfo;
import io.pushhub.sse.StreamOpener;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.List;
import java.util.Map;

/**
 * One HTTP verticle instance: its own event loop, its own streams and topic index, all
 * instances listening on the one port.
 */
final class HubVerticle extends VerticleBase {

  /** Room for JSON escaping around the largest allowed data (up to 6 bytes per byte as \\u00XX). */
  private static final int BODY_OVERHEAD = 64 * 1024;

  private final NodeParts parts;
  private LocalSubscribers subscribers;
  private LocalStreams streams;

  HubVerticle(NodeParts parts) {
    this.parts = parts;
  }

  @Override
  public Future<?> start() {
    var config = parts.config();
    streams = new LocalStreams(vertx, context, config.sse().heartbeatSeconds() * 1000L);
    subscribers = new LocalSubscribers();
    parts.fanout().register(subscribers,
      new RunDelivery(context, subscribers, parts.metrics(), Hub::nowMicros, streams::flushWritten));
    MercureSubscribers mercure = new MercureSubscribers(context, parts.metrics(), Hub::nowMicros, streams::flushWritten);
    parts.fanout().register(mercure.index(), mercure);
    StreamOpener opener = new StreamOpener(parts.nodeId(), config, parts.store(), subscribers, streams, parts.metrics(),
      parts.health()::streamRefusal, parts.limits());

    Access access = new Access(vertx, config);
    PublishHandler publish = new PublishHandler(parts.publishService(), access, parts.limits(), new Clients(config.http()));
    Failures failures = new Failures(parts.metrics().rejections());
    RequestDeadlines deadlines = new RequestDeadlines(vertx, failures, config.http().requestTimeoutSeconds(),
      config.http().idleTimeoutSeconds());
    Router router = Router.router(vertx);
    router.route().handler(parts.activeRequests());
    router.route().handler(new RequestIds());
    router.route().handler(deadlines);
    router.route().handler(Cors.handler(config.cors()));
    router.get("/events").handler(new EventsHandler(opener, access));
    if (config.mercure().enabled()) {
      MercureAccess mercureAccess = new MercureAccess(access.verifier(), config);
      router.get(MercureSubscribeHandler.PATH).handler(new MercureSubscribeHandler(opener, mercureAccess, mercure,
        parts.store(), parts.mercureIds(), parts.activeSubscriptions()));
      if (parts.activeSubscriptions() != null) {
        SubscriptionsHandler subscriptionsApi = new SubscriptionsHandler(mercureAccess, parts.activeSubscriptions());
        router.get(SubscriptionsHandler.PATH).handler(subscriptionsApi);
        router.getWithRegex(SubscriptionsHandler.PATHS_BELOW).handler(subscriptionsApi);
      }
      router.post(MercureSubscribeHandler.PATH).handler(new MercurePublishHandler(parts.publishService(), mercureAccess,
        parts.mercureIds(), parts.limits(), new Clients(config.http()), config.limits().maxEventBytes()));
    }
    router.post("/publish").handler(PublishHandler::requireJson);
    router.post("/publish")
      .handler(BodyHandler.create(false).setBodyLimit(config.limits().maxEventBytes() * 6L + BODY_OVERHEAD))
      .handler(publish);
    // HEAD too: load balancers check health with it.
    router.route("/health/live").method(HttpMethod.GET).method(HttpMethod.HEAD)
      .handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    router.route("/health/ready").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::ready);
    if (parts.scrapes() != null && !config.metrics().separate()) {
      router.get("/metrics").handler(parts.scrapes());
    }
    Dashboard.mount(router);
    new AdminRoutes(parts.admin(), parts.store(), config,
      ctx -> access.admin(ctx.request()).onSuccess(caller -> ctx.next()).onFailure(ctx::fail)).mount(router);
    router.route().failureHandler(failures);
    router.errorHandler(404, ctx -> Errors.send(ctx.response(), 404, "not_found", "no such route"));
    router.errorHandler(405, ctx -> {
      ctx.response().putHeader("Allow", allowedMethods(ctx.request().path()));
      Errors.send(ctx.response(), 405, "method_not_allowed", "method not allowed here");
    });
    router.errorHandler(413, ctx -> failures.refuse(ctx.response(), new HubException(HubError.SIZE, "request body too large")));
    router.errorHandler(400, ctx -> failures.refuse(ctx.response(), new HubException(HubError.BAD_REQUEST, "bad request")));
    router.errorHandler(500, ctx -> Errors.send(ctx.response(), 500, "internal", "internal error"));

    HttpServerOptions serverOptions = ServerOptions.of(config.http());
    return PublishConsumer.register(vertx.eventBus(), parts.publishService(), parts.metrics().rejections())
      .compose(consumer -> vertx.createHttpServer(serverOptions)
        .connectionHandler(connection -> deadlines.connected(connection,
          StrictRequestDecoder.install(connection, serverOptions)))
        .invalidRequestHandler(new InvalidRequests(failures))
        .requestHandler(router)
        .listen())
      .onSuccess(server -> parts.instances().listening(this, server.actualPort()));
  }

  @Override
  public Future<?> stop() {
    streams.stop();
    return Future.succeededFuture();
  }

  private void ready(RoutingContext ctx) {
    NodeHealth health = parts.health();
    JsonObject checks = new JsonObject();
    if (health.clustered()) {
      checks.put("cluster", health.clusterUp() ? "UP" : "DOWN");
      checks.put("majority", health.acknowledging() ? "UP" : "DOWN");
    }
    checks.put("replayStore", health.clusterUp() ? "UP" : "DOWN").put("accepting", health.draining() ? "DOWN" : "UP");
    boolean up = checks.stream().allMatch(e -> "UP".equals(e.getValue()));
    json(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", checks));
  }

  /** Topic subscriber counts and streams of this instance, read on its own event loop. */
  Future<InstanceView> view() {
    Promise<InstanceView> view = Promise.promise();
    context.runOnContext(v -> view.complete(new InstanceView(subscribers.counts(), streams.snapshot())));
    return view.future();
  }

  Future<Boolean> close(String connectionId) {
    Promise<Boolean> closed = Promise.promise();
    context.runOnContext(v -> closed.complete(streams.close(connectionId, CloseReason.CLOSED_BY_ADMIN)));
    return closed.future();
  }

  record InstanceView(Map<String, Integer> topics, List<StreamInfo> streams) {
  }

  void closeAll(long spreadMillis, CloseReason reason) {
    context.runOnContext(v -> streams.closeAll(spreadMillis, reason));
  }

  int openStreams() {
    return streams.openCount();
  }

  long slowConsumerCloses() {
    return streams.slowConsumerCloses();
  }

  int subscriptions() {
    return subscribers.subscriptionCount();
  }

  /** The {@code Allow} of a 405: the methods of the route table above for that path. */
  static String allowedMethods(String path) {
    if (path.equals(MercureSubscribeHandler.PATH)) {
      return "GET, POST";
    }
    if (path.equals("/publish") || path.startsWith("/admin/nodes/")) {
      return "POST";
    }
    if (path.startsWith("/health/")) {
      return "GET, HEAD";
    }
    if (path.startsWith("/admin/connections/") || path.startsWith("/admin/topics/") && path.endsWith("/history")) {
      return "DELETE";
    }
    return "GET";
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
