package io.pushhub.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code GET /metrics}, rendered on a worker thread: a scrape walks every meter (and the first one
 * loads the exposition classes), which must not hold up an event loop's streams. Scrapes asked
 * while one is being rendered share it, so a flood of them costs one rendering at a time.
 */
public final class Scrapes implements Handler<RoutingContext> {

  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final AtomicReference<Future<String>> rendering = new AtomicReference<>();

  private Scrapes(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  public static Scrapes of(String registryName) {
    return new Scrapes((PrometheusMeterRegistry) MetricsSetup.registry(registryName));
  }

  @Override
  public void handle(RoutingContext ctx) {
    // Back on this request's own event loop, whichever request started the shared rendering.
    Future.fromCompletionStage(render(ctx).toCompletionStage(), ctx.vertx().getOrCreateContext()).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().putHeader("Content-Type", CONTENT_TYPE).end(ar.result());
      } else {
        ctx.fail(ar.cause());
      }
    });
  }

  private Future<String> render(RoutingContext ctx) {
    Future<String> current = rendering.get();
    if (current != null && !current.isComplete()) {
      return current;
    }
    Future<String> next = ctx.vertx().executeBlocking(() -> registry.scrape(), false);
    return rendering.compareAndSet(current, next) ? next : render(ctx);
  }
}
