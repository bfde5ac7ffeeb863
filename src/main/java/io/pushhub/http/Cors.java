package io.pushhub.http;

import io.pushhub.config.HubConfig;
import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;

import java.util.Set;

/**
 * CORS (docs/protocol.md) with vertx-web's {@link CorsHandler}: exact origins, or {@code *} (never with
 * credentials); preflights answered 204 with the methods, the headers a stream and a publish
 * need, and {@code cors.maxAgeSeconds}; {@code X-Request-Id} and {@code Retry-After} exposed.
 *
 * <p>vertx-web refuses every request of a disallowed origin with a bare 403; docs/protocol.md refuses only
 * its preflight (in JSON) and serves its other requests without CORS headers, leaving the
 * browser to withhold the answer. So only allowed origins reach the CorsHandler.
 */
public final class Cors implements Handler<RoutingContext> {

  private final Set<String> origins;
  private final boolean any;
  private final CorsHandler allowed;

  private Cors(HubConfig.Cors config) {
    this.origins = Set.copyOf(config.allowedOrigins());
    this.any = origins.contains("*");
    CorsHandler cors = any ? CorsHandler.create().addOrigin("*") : CorsHandler.create().addOrigins(config.allowedOrigins());
    this.allowed = cors
      .allowCredentials(config.allowCredentials() && !any)
      .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS))
      .allowedHeaders(Set.of("Authorization", "Content-Type", "Last-Event-ID", "X-Request-Id"))
      .exposedHeaders(Set.of(RequestIds.HEADER, "Retry-After"))
      .maxAgeSeconds(config.maxAgeSeconds());
  }

  public static Cors handler(HubConfig.Cors config) {
    return new Cors(config);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
    if (origin != null && !any) {
      // The answer depends on the origin (echoed, or no CORS headers): caches must keep them apart.
      ctx.response().putHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
    }
    if (origin == null) {
      ctx.next();
    } else if (any || origins.contains(origin)) {
      allowed.handle(ctx);
    } else if (ctx.request().method() == HttpMethod.OPTIONS
      && ctx.request().getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null) {
      ctx.fail(new HubException(HubError.FORBIDDEN, "origin not allowed"));
    } else {
      ctx.next();
    }
  }
}
