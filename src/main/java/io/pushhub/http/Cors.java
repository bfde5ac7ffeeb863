package io.pushhub.http;

import io.pushhub.config.HubConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.handler.CorsHandler;

import java.util.Set;

/**
 * CORS (SPEC §5) with vertx-web's {@link CorsHandler}: exact origins, or {@code *} (never with
 * credentials); preflights answered 204 with the methods, the headers a stream and a publish
 * need, and {@code cors.maxAgeSeconds}; {@code X-Request-Id} and {@code Retry-After} exposed.
 * A disallowed origin gets no CORS headers, and its preflight a 403.
 */
public final class Cors {

  private Cors() {
  }

  public static CorsHandler handler(HubConfig.Cors config) {
    boolean any = config.allowedOrigins().contains("*");
    CorsHandler cors = any ? CorsHandler.create().addOrigin("*") : CorsHandler.create().addOrigins(config.allowedOrigins());
    return cors
      .allowCredentials(config.allowCredentials() && !any)
      .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS))
      .allowedHeaders(Set.of("Authorization", "Content-Type", "Last-Event-ID", "X-Request-Id"))
      .exposedHeaders(Set.of(RequestIds.HEADER, "Retry-After"))
      .maxAgeSeconds(config.maxAgeSeconds());
  }
}
