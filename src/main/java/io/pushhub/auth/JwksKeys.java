package io.pushhub.auth;

import io.pushhub.config.HubConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The signing keys of an identity provider's JWKS document ({@code auth.jwksUrl}), so keys rotate
 * without a restart: fetched at start and every {@code jwksRefreshSeconds}, and at once when a
 * token names a {@code kid} not in the last document, at most once per {@code jwksMinRefreshSeconds}
 * (tokens with made-up kids cannot make the hub hammer the provider). Concurrent requests for a
 * refresh share one fetch. A failed fetch keeps the keys it had.
 */
final class JwksKeys {

  private static final Logger LOG = LoggerFactory.getLogger(JwksKeys.class);
  private static final int FETCH_TIMEOUT_MILLIS = 10_000;

  private final Vertx vertx;
  private final WebClient client;
  private final HubConfig.Jwks config;
  private final Consumer<List<JsonObject>> onKeys;
  private volatile Set<String> kids = Set.of();
  private volatile long lastFetchNanos;
  private Future<Void> fetching;

  JwksKeys(Vertx vertx, HubConfig.Jwks config, Consumer<List<JsonObject>> onKeys) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
    this.config = config;
    this.onKeys = onKeys;
    fetch();
    vertx.setPeriodic(config.refreshSeconds() * 1000L, id -> fetch());
  }

  /** Completes when the keys can verify a token with this header {@code kid}, or no fetch is allowed yet. */
  Future<Void> ready(String kid) {
    if (kid == null || kids.contains(kid)) {
      return Future.succeededFuture();
    }
    synchronized (this) {
      if (fetching != null) {
        return fetching;
      }
    }
    if (System.nanoTime() - lastFetchNanos < config.minRefreshSeconds() * 1_000_000_000L) {
      return Future.succeededFuture();
    }
    return fetch();
  }

  private Future<Void> fetch() {
    Future<Void> done;
    synchronized (this) {
      if (fetching != null) {
        return fetching;
      }
      lastFetchNanos = System.nanoTime();
      done = client.getAbs(config.url()).timeout(FETCH_TIMEOUT_MILLIS).send()
        .expecting(HttpResponseExpectation.SC_OK)
        .map(this::install)
        .recover(e -> {
          LOG.warn("JWKS fetch from {} failed, keeping the keys known so far: {}", config.url(), e.getMessage());
          return Future.succeededFuture();
        });
      fetching = done;
    }
    return done.onComplete(v -> {
      synchronized (this) {
        fetching = null;
      }
    });
  }

  private Void install(HttpResponse<Buffer> response) {
    JsonArray array = response.bodyAsJsonObject().getJsonArray("keys", new JsonArray());
    List<JsonObject> keys = array.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
      .filter(key -> !"enc".equals(key.getString("use"))).toList();
    Set<String> ids = keys.stream().map(key -> key.getString("kid")).filter(id -> id != null)
      .collect(Collectors.toUnmodifiableSet());
    if (!ids.equals(kids)) {
      LOG.info("JWKS from {}: {} signing keys, kids {}", config.url(), keys.size(), ids);
    }
    onKeys.accept(keys);
    kids = ids;
    return null;
  }

  /** The {@code kid} of a compact JWS header, null when absent or unreadable (verification then fails as usual). */
  static String kidOf(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return null;
    }
    try {
      byte[] header = Base64.getUrlDecoder().decode(token.substring(0, dot));
      Object kid = new JsonObject(new String(header, StandardCharsets.UTF_8)).getValue("kid");
      return kid instanceof String s ? s : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
