package io.pushhub.metrics;

import io.pushhub.config.HubConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.ext.web.Router;

/** {@code metrics.port}: scrapes on their own listener (an internal interface), off the public port. */
public final class MetricsListener {

  private MetricsListener() {
  }

  /**
   * Serves {@code /metrics} of {@code registry} apart when {@code config} asks for it; completes
   * with the port it listens on, or 0 when there is no such listener.
   */
  public static Future<Integer> listen(Vertx vertx, HubConfig.Metrics config, String registry) {
    if (!config.separate() || registry == null) {
      return Future.succeededFuture(0);
    }
    Router router = Router.router(vertx);
    router.get("/metrics").handler(Scrapes.of(registry));
    // No h2c: an HTTP/1.1 client asking to upgrade (the JDK's does by default) was seen to hang.
    return vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)
        .setTracingPolicy(TracingPolicy.IGNORE))
      .requestHandler(router).listen(Math.max(0, config.port()), config.host())
      .map(server -> server.actualPort());
  }
}
