package io.pushhub.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The effective configuration of one hub node: immutable, read once by {@link ConfigLoader}.
 * Keys and defaults are the ones of SPEC §8; the README lists them all.
 */
public record HubConfig(Http http, Sse sse, Replay replay, Limits limits, Auth auth, Cors cors, Cluster cluster,
                        Publish publish, Metrics metrics) {

  /**
   * @param maxUrlBytes longest request line accepted (longer: 414)
   * @param maxHeaderBytes largest header block accepted (larger: 431)
   * @param idleTimeoutSeconds a connection with no request in progress for this long is closed, and so is a
   *                           stream whose peer acknowledged nothing sent for this long (a vanished client)
   * @param requestTimeoutSeconds time a request that is not a stream has to arrive whole, headers and body
   */
  public record Http(int port, String host, int instances, int drainSeconds, boolean trustForwardedFor,
                     Tls tls, int maxUrlBytes, int maxHeaderBytes, int idleTimeoutSeconds, int requestTimeoutSeconds,
                     boolean tcpNoDelay) {
    /** Instances to deploy: {@code 0} means one per core. */
    public int effectiveInstances() {
      return instances > 0 ? instances : Runtime.getRuntime().availableProcessors();
    }
  }

  /** PEM certificate chain and private key; both null: plain HTTP. */
  public record Tls(String certPath, String keyPath) {
    public boolean enabled() {
      return certPath != null;
    }
  }

  public record Sse(int heartbeatSeconds, int retryMillis, int maxTopicsPerConnection, int maxQueuedBytes) {
  }

  public record Replay(int maxEvents, int maxAgeSeconds) {
  }

  public record Limits(int maxConnections, int maxConnectionsPerClient, int connectsPerSecondPerClient,
                       int publishesPerSecond, int maxEventBytes) {
  }

  public record Auth(String hs256Secret, List<String> publicKeys, String issuer, String audience,
                     List<String> anonymousTopics, Jwks jwks) {
    /** No key configured: anyone may subscribe; publish and admin are for loopback clients only. */
    public boolean developmentMode() {
      return hs256Secret == null && publicKeys.isEmpty() && jwks.url() == null;
    }
  }

  /**
   * Keys fetched from an identity provider's JWKS document.
   *
   * @param url the document (null: none)
   * @param refreshSeconds fetched again this often
   * @param minRefreshSeconds a token naming an unknown {@code kid} fetches it at once, but at most once this often
   */
  public record Jwks(String url, int refreshSeconds, int minRefreshSeconds) {
  }

  public record Cors(List<String> allowedOrigins, boolean allowCredentials, int maxAgeSeconds) {
  }

  /**
   * @param host address of this node's event-bus server (null: the Hazelcast member's address)
   * @param publicHost address other nodes use to reach it, when it differs (NAT, containers)
   * @param port event-bus port (0: any free port)
   */
  public record Cluster(boolean enabled, String config, String host, String publicHost, int port) {
  }

  /** The circuit breaker around the store-and-hand-off step of every publish. */
  public record Publish(int breakerMaxFailures, long breakerTimeoutMillis, long breakerResetMillis) {
  }

  /** Where {@code /metrics} is served: {@code port} 0 means on the hub's own port, else only on this one. */
  public record Metrics(int port, String host) {
    public boolean separate() {
      return port != 0;
    }
  }

  public static HubConfig defaults() {
    return ConfigLoader.fromJson(new JsonObject());
  }

  /** The effective configuration as JSON, every secret replaced by {@code "***"}. */
  public JsonObject toRedactedJson() {
    return new JsonObject()
      .put("http", new JsonObject().put("port", http.port).put("host", http.host)
        .put("instances", http.instances).put("drainSeconds", http.drainSeconds)
        .put("trustForwardedFor", http.trustForwardedFor)
        .put("tls", new JsonObject().put("certPath", http.tls.certPath).put("keyPath", http.tls.keyPath))
        .put("maxUrlBytes", http.maxUrlBytes).put("maxHeaderBytes", http.maxHeaderBytes)
        .put("idleTimeoutSeconds", http.idleTimeoutSeconds).put("requestTimeoutSeconds", http.requestTimeoutSeconds)
        .put("tcpNoDelay", http.tcpNoDelay))
      .put("sse", new JsonObject().put("heartbeatSeconds", sse.heartbeatSeconds)
        .put("retryMillis", sse.retryMillis).put("maxTopicsPerConnection", sse.maxTopicsPerConnection)
        .put("maxQueuedBytes", sse.maxQueuedBytes))
      .put("replay", new JsonObject().put("maxEvents", replay.maxEvents).put("maxAgeSeconds", replay.maxAgeSeconds))
      .put("limits", new JsonObject().put("maxConnections", limits.maxConnections)
        .put("maxConnectionsPerClient", limits.maxConnectionsPerClient)
        .put("connectsPerSecondPerClient", limits.connectsPerSecondPerClient)
        .put("publishesPerSecond", limits.publishesPerSecond).put("maxEventBytes", limits.maxEventBytes))
      .put("auth", new JsonObject().put("hs256Secret", auth.hs256Secret == null ? null : "***")
        .put("publicKeys", new JsonArray(auth.publicKeys.stream().map(k -> (Object) "***").toList()))
        .put("issuer", auth.issuer).put("audience", auth.audience)
        .put("anonymousTopics", new JsonArray(List.copyOf(auth.anonymousTopics)))
        .put("jwksUrl", auth.jwks.url).put("jwksRefreshSeconds", auth.jwks.refreshSeconds)
        .put("jwksMinRefreshSeconds", auth.jwks.minRefreshSeconds))
      .put("cors", new JsonObject().put("allowedOrigins", new JsonArray(List.copyOf(cors.allowedOrigins)))
        .put("allowCredentials", cors.allowCredentials).put("maxAgeSeconds", cors.maxAgeSeconds))
      .put("cluster", new JsonObject().put("enabled", cluster.enabled).put("config", cluster.config)
        .put("host", cluster.host).put("publicHost", cluster.publicHost).put("port", cluster.port))
      .put("publish", new JsonObject().put("breaker", new JsonObject()
        .put("maxFailures", publish.breakerMaxFailures).put("timeoutMillis", publish.breakerTimeoutMillis)
        .put("resetMillis", publish.breakerResetMillis)))
      .put("metrics", new JsonObject().put("port", metrics.port).put("host", metrics.host));
  }
}
