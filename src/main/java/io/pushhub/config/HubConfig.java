package io.pushhub.config;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The effective configuration of one hub node: immutable, read once by {@link ConfigLoader}.
 * Every key, its default and its range are defined in {@link ConfigKeys}.
 */
public record HubConfig(Http http, Sse sse, Replay replay, Limits limits, Auth auth, Cors cors, Cluster cluster,
                        Publish publish, Metrics metrics, Tracing tracing, Mercure mercure) {

  /**
   * @param maxUrlBytes longest request line accepted (longer: 414)
   * @param maxHeaderBytes largest header block accepted (larger: 431)
   * @param idleTimeoutSeconds a connection with no request in progress for this long is closed, and so is a
   *                           stream whose peer acknowledged nothing sent for this long (a vanished client)
   * @param requestTimeoutSeconds time a request that is not a stream has to arrive whole, headers and body
   * @param trustedProxies address blocks whose {@code X-Forwarded-For} is believed (with trustForwardedFor)
   */
  public record Http(int port, String host, int instances, int drainSeconds, boolean trustForwardedFor,
                     Tls tls, int maxUrlBytes, int maxHeaderBytes, int idleTimeoutSeconds, int requestTimeoutSeconds,
                     boolean tcpNoDelay, List<String> trustedProxies) {
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

  /** @param requireExp a token without {@code exp} is refused (docs/protocol.md) */
  public record Auth(String hs256Secret, List<String> publicKeys, String issuer, String audience,
                     List<String> anonymousTopics, boolean requireExp, Jwks jwks) {
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
   * @param minMembers hub nodes a side of a split needs to acknowledge publishes (0: more than half of those it had)
   */
  public record Cluster(boolean enabled, String config, String host, String publicHost, int port, int minMembers) {
  }

  /** The circuit breaker around the store step of every publish. */
  public record Publish(int breakerMaxFailures, long breakerTimeoutMillis, long breakerResetMillis) {
  }

  /** Where {@code /metrics} is served: {@code port} 0 means on the hub's own port, else only on this one. */
  public record Metrics(int port, String host) {
    public boolean separate() {
      return port != 0;
    }
  }

  /**
   * OpenTelemetry tracing of the publish path (docs/operations.md).
   *
   * @param otlpEndpoint the OTLP/HTTP traces URL spans are exported to
   * @param sampleRatio share of new traces recorded (a caller's sampling decision is followed)
   */
  public record Tracing(boolean enabled, String otlpEndpoint, String serviceName, double sampleRatio) {
  }

  /**
   * The Mercure endpoint (docs/mercure.md): served when {@code enabled}; {@code anonymous} lets
   * subscribers without a token in; {@code subscriptions} serves active subscriptions (events and API).
   */
  public record Mercure(boolean enabled, boolean anonymous, boolean subscriptions) {
  }

  public static HubConfig defaults() {
    return ConfigLoader.fromJson(new JsonObject());
  }

  /** The effective configuration as JSON, every secret replaced by {@code "***"}: what {@code /admin/config} shows. */
  public JsonObject toRedactedJson() {
    return toJson(true);
  }

  /** The effective configuration as JSON, secrets included: loading it again gives an equal config. */
  public JsonObject toJson() {
    return toJson(false);
  }

  private JsonObject toJson(boolean redact) {
    JsonObject json = new JsonObject();
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      JsonObject section = json;
      for (String name : key.section().isEmpty() ? new String[0] : key.section().split("\\.")) {
        if (section.getJsonObject(name) == null) {
          section.put(name, new JsonObject());
        }
        section = section.getJsonObject(name);
      }
      section.put(key.leaf(), key.toJson(this, redact));
    }
    return json;
  }
}
