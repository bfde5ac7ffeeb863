package io.pushhub.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.pushhub.config.ConfigKey.Type.BOOLEAN;
import static io.pushhub.config.ConfigKey.Type.FILE;
import static io.pushhub.config.ConfigKey.Type.INTEGER;
import static io.pushhub.config.ConfigKey.Type.NUMBER;
import static io.pushhub.config.ConfigKey.Type.STRING;
import static io.pushhub.config.ConfigKey.Type.STRING_LIST;

/**
 * Every config key, defined once: the loader reads these, {@code /admin/config} shows these, and
 * docs/configuration.md's table is generated from these ({@link ConfigDoc}). Adding a key: one line
 * here, its record component in {@link HubConfig}, and its place in {@link ConfigLoader#build}.
 */
public final class ConfigKeys {

  private static final List<ConfigKey<?>> DEFINED = new ArrayList<>();
  private static final int MAX = Integer.MAX_VALUE;

  /**
   * Environment names that differ from the rule: {@code PUSHHUB_CLUSTER_PORT} is the Hazelcast
   * member port that cluster-config/*.xml reads (see {@link Environment#RESERVED}).
   */
  private static final Map<String, String> ENV_EXCEPTIONS = Map.of("cluster.port", "PUSHHUB_CLUSTER_BUS_PORT");

  public static final ConfigKey<Integer> HTTP_PORT = integer("http.port", 8080, -1, 65535, c -> c.http().port(),
    "listening port (`0`: any free port, `-1`: one random port shared by all instances)");
  public static final ConfigKey<String> HTTP_HOST = string("http.host", "0.0.0.0", c -> c.http().host(),
    "listening address");
  public static final ConfigKey<Integer> HTTP_INSTANCES = integer("http.instances", 0, 0, 1024,
    c -> c.http().instances(), "HTTP verticle instances, each on its own event loop; `0`: one per core");
  public static final ConfigKey<Integer> HTTP_DRAIN_SECONDS = integer("http.drainSeconds", 10, 0, 3600,
    c -> c.http().drainSeconds(), "on SIGTERM or an admin drain, open streams are closed spread over this many seconds");
  public static final ConfigKey<Boolean> HTTP_TRUST_FORWARDED_FOR = bool("http.trustForwardedFor", false,
    c -> c.http().trustForwardedFor(), "take the client address from `X-Forwarded-For` when the socket peer is in "
      + "`http.trustedProxies`; needs an auth key (a hub with it and no key refuses to start, see docs/security.md)");
  public static final ConfigKey<List<String>> HTTP_TRUSTED_PROXIES = strings("http.trustedProxies",
    c -> c.http().trustedProxies(), "addresses or CIDR blocks (`10.0.0.0/8`, `fd00::/8`) of the proxies whose "
      + "`X-Forwarded-For` hops are believed; the client is the right-most hop not in this list");
  public static final ConfigKey<String> HTTP_TLS_CERT_PATH = file("http.tls.certPath", c -> c.http().tls().certPath(),
    "PEM certificate chain: TLS with h2 and http/1.1 by ALPN (set together with `http.tls.keyPath`)");
  public static final ConfigKey<String> HTTP_TLS_KEY_PATH = file("http.tls.keyPath", c -> c.http().tls().keyPath(),
    "PEM private key of that certificate");
  public static final ConfigKey<Integer> HTTP_MAX_URL_BYTES = integer("http.maxUrlBytes", 16_384, 1024, 1_048_576,
    c -> c.http().maxUrlBytes(), "longest request line (`414` above)");
  public static final ConfigKey<Integer> HTTP_MAX_HEADER_BYTES = integer("http.maxHeaderBytes", 16_384, 1024,
    1_048_576, c -> c.http().maxHeaderBytes(), "largest header block (`431` above)");
  public static final ConfigKey<Integer> HTTP_IDLE_TIMEOUT_SECONDS = integer("http.idleTimeoutSeconds", 120, 1, 86_400,
    c -> c.http().idleTimeoutSeconds(),
    "a connection without a request in progress is closed after this; also the TCP user timeout of streams");
  public static final ConfigKey<Integer> HTTP_REQUEST_TIMEOUT_SECONDS = integer("http.requestTimeoutSeconds", 10, 1,
    3600, c -> c.http().requestTimeoutSeconds(),
    "time to send a request's headers (on a new connection from the connect, on a kept-alive one from their first "
      + "byte), and its whole body after them (`408`)");
  public static final ConfigKey<Boolean> HTTP_TCP_NO_DELAY = bool("http.tcpNoDelay", true, c -> c.http().tcpNoDelay(),
    "send each write at once; `false` lets the kernel merge small writes (less CPU per delivery, more latency)");

  public static final ConfigKey<Integer> SSE_HEARTBEAT_SECONDS = integer("sse.heartbeatSeconds", 15, 1, 3600,
    c -> c.sse().heartbeatSeconds(), "a silent stream gets a `:` comment after this long (checked every 0.5 s)");
  public static final ConfigKey<Integer> SSE_RETRY_MILLIS = integer("sse.retryMillis", 3000, 0, 3_600_000,
    c -> c.sse().retryMillis(), "the `retry:` sent first on every stream");
  public static final ConfigKey<Integer> SSE_MAX_TOPICS_PER_CONNECTION = integer("sse.maxTopicsPerConnection", 32, 1,
    1024, c -> c.sse().maxTopicsPerConnection(), "topics per stream (repeats count once)");
  public static final ConfigKey<Integer> SSE_MAX_QUEUED_BYTES = integer("sse.maxQueuedBytes", 1_048_576, 1024, MAX,
    c -> c.sse().maxQueuedBytes(), "unsent backlog a stream may have inside the hub before it is closed");

  public static final ConfigKey<Integer> REPLAY_MAX_EVENTS = integer("replay.maxEvents", 1000, 1, 1_000_000,
    c -> c.replay().maxEvents(), "newest events kept per topic");
  public static final ConfigKey<Integer> REPLAY_MAX_AGE_SECONDS = integer("replay.maxAgeSeconds", 300, 1, 30 * 86_400,
    c -> c.replay().maxAgeSeconds(), "events and idempotency keys older than this are dropped");

  public static final ConfigKey<Integer> LIMITS_MAX_CONNECTIONS = integer("limits.maxConnections", 100_000, 1, MAX,
    c -> c.limits().maxConnections(), "streams per node; past it `503 capacity`");
  public static final ConfigKey<Integer> LIMITS_MAX_CONNECTIONS_PER_CLIENT = integer("limits.maxConnectionsPerClient",
    100, 1, MAX, c -> c.limits().maxConnectionsPerClient(), "streams per client; past it `429 rate`");
  public static final ConfigKey<Integer> LIMITS_CONNECTS_PER_SECOND_PER_CLIENT = integer(
    "limits.connectsPerSecondPerClient", 20, 1, MAX, c -> c.limits().connectsPerSecondPerClient(),
    "new streams per second per client (token bucket); past it `429 rate`");
  public static final ConfigKey<Integer> LIMITS_PUBLISHES_PER_SECOND = integer("limits.publishesPerSecond", 1000, 1,
    MAX, c -> c.limits().publishesPerSecond(),
    "HTTP publishes per second per client (token bucket; event-bus publishers are exempt); past it `429 rate`");
  public static final ConfigKey<Integer> LIMITS_MAX_EVENT_BYTES = integer("limits.maxEventBytes", 65_536, 1,
    16 * 1024 * 1024, c -> c.limits().maxEventBytes(), "largest `data`, in UTF-8 bytes as sent; larger is `413`");

  public static final ConfigKey<String> AUTH_HS256_SECRET = define("auth.hs256Secret", STRING, null, 0, 0, true,
    c -> c.auth().hs256Secret(), "HS256 secret; with it, a public key or `auth.jwksUrl`, tokens are required");
  public static final ConfigKey<List<String>> AUTH_PUBLIC_KEYS = define("auth.publicKeys", STRING_LIST, List.of(), 0,
    0, true, c -> c.auth().publicKeys(), "PEM public keys (`BEGIN PUBLIC KEY`): RSA for RS256, EC for ES256");
  public static final ConfigKey<String> AUTH_ISSUER = string("auth.issuer", null, c -> c.auth().issuer(),
    "required `iss` of tokens");
  public static final ConfigKey<String> AUTH_AUDIENCE = string("auth.audience", null, c -> c.auth().audience(),
    "required `aud` of tokens");
  public static final ConfigKey<List<String>> AUTH_ANONYMOUS_TOPICS = strings("auth.anonymousTopics",
    c -> c.auth().anonymousTopics(), "topic patterns subscribable without a token");
  public static final ConfigKey<Boolean> AUTH_REQUIRE_EXP = bool("auth.requireExp", true, c -> c.auth().requireExp(),
    "tokens must carry an `exp` claim; `false` also accepts tokens without one");
  public static final ConfigKey<String> AUTH_JWKS_URL = string("auth.jwksUrl", null, c -> c.auth().jwks().url(),
    "an identity provider's JWKS document (`http://` or `https://`): its signing keys verify tokens too, "
      + "and rotate without a restart");
  public static final ConfigKey<Integer> AUTH_JWKS_REFRESH_SECONDS = integer("auth.jwksRefreshSeconds", 300, 10,
    86_400, c -> c.auth().jwks().refreshSeconds(), "that document is fetched again this often");
  public static final ConfigKey<Integer> AUTH_JWKS_MIN_REFRESH_SECONDS = integer("auth.jwksMinRefreshSeconds", 30, 1,
    3600, c -> c.auth().jwks().minRefreshSeconds(),
    "a token whose `kid` is not in the last document fetches it at once, but at most once this often");

  public static final ConfigKey<List<String>> CORS_ALLOWED_ORIGINS = strings("cors.allowedOrigins",
    c -> c.cors().allowedOrigins(), "exact origins, or `*`");
  public static final ConfigKey<Boolean> CORS_ALLOW_CREDENTIALS = bool("cors.allowCredentials", true,
    c -> c.cors().allowCredentials(), "`Access-Control-Allow-Credentials: true` (never with `*`)");
  public static final ConfigKey<Integer> CORS_MAX_AGE_SECONDS = integer("cors.maxAgeSeconds", 600, 0, 86_400,
    c -> c.cors().maxAgeSeconds(), "preflight cache time");

  public static final ConfigKey<Boolean> CLUSTER_ENABLED = bool("cluster.enabled", false, c -> c.cluster().enabled(),
    "join the Hazelcast cluster (also `--cluster`)");
  public static final ConfigKey<String> CLUSTER_CONFIG = string("cluster.config", "cluster-config/hazelcast.xml",
    c -> c.cluster().config(), "Hazelcast XML: network, join, name (also `--cluster-config`)");
  public static final ConfigKey<String> CLUSTER_HOST = string("cluster.host", null, c -> c.cluster().host(),
    "address this node's event-bus server binds (none: the Hazelcast member's address)");
  public static final ConfigKey<String> CLUSTER_PUBLIC_HOST = string("cluster.publicHost", null,
    c -> c.cluster().publicHost(), "address other nodes use to reach that server, when different (NAT, containers)");
  public static final ConfigKey<Integer> CLUSTER_PORT = integer("cluster.port", 0, 0, 65535, c -> c.cluster().port(),
    "event-bus port (`0`: any free port); not the Hazelcast member port");
  public static final ConfigKey<Integer> CLUSTER_MIN_MEMBERS = integer("cluster.minMembers", 0, 0, 1000,
    c -> c.cluster().minMembers(), "hub nodes a side of a split needs to take publishes (`0`: more than half of the "
      + "nodes of the last majority, see docs/operations.md)");

  public static final ConfigKey<Integer> PUBLISH_BREAKER_MAX_FAILURES = integer("publish.breaker.maxFailures", 5, 1,
    1_000_000, c -> c.publish().breakerMaxFailures(), "failures or timeouts in a row that open the breaker");
  public static final ConfigKey<Integer> PUBLISH_BREAKER_TIMEOUT_MILLIS = integer("publish.breaker.timeoutMillis",
    2000, 1, 600_000, c -> Math.toIntExact(c.publish().breakerTimeoutMillis()),
    "a store-and-hand-off slower than this counts as failed");
  public static final ConfigKey<Integer> PUBLISH_BREAKER_RESET_MILLIS = integer("publish.breaker.resetMillis", 5000,
    1, 3_600_000, c -> Math.toIntExact(c.publish().breakerResetMillis()), "open time before a half-open probe");

  public static final ConfigKey<Integer> METRICS_PORT = integer("metrics.port", 0, -1, 65535,
    c -> c.metrics().port(),
    "`0`: `/metrics` on the hub's port; else only on this port (`-1`: any free one), e.g. an internal interface");
  public static final ConfigKey<String> METRICS_HOST = string("metrics.host", "0.0.0.0", c -> c.metrics().host(),
    "address of that separate metrics listener");

  public static final ConfigKey<Boolean> TRACING_ENABLED = bool("tracing.enabled", false, c -> c.tracing().enabled(),
    "record OpenTelemetry spans of each publish and its delivery on every node, and export them over OTLP");
  public static final ConfigKey<String> TRACING_OTLP_ENDPOINT = string("tracing.otlpEndpoint",
    "http://localhost:4318/v1/traces", c -> c.tracing().otlpEndpoint(),
    "where spans are sent: an OTLP/HTTP (protobuf) traces URL, `http://` or `https://`");
  public static final ConfigKey<String> TRACING_SERVICE_NAME = string("tracing.serviceName", "pushhub",
    c -> c.tracing().serviceName(), "the `service.name` of the spans");
  public static final ConfigKey<Double> TRACING_SAMPLE_RATIO = define("tracing.sampleRatio", NUMBER, 1.0, 0, 1, false,
    c -> c.tracing().sampleRatio(), "share of new traces recorded; a publish that brings a `traceparent` is recorded "
      + "if, and only if, its caller sampled it");

  public static final ConfigKey<Boolean> MERCURE_ENABLED = bool("mercure.enabled", true, c -> c.mercure().enabled(),
    "serve the Mercure protocol at `/.well-known/mercure` (docs/mercure.md)");
  public static final ConfigKey<Boolean> MERCURE_ANONYMOUS = bool("mercure.anonymous", false,
    c -> c.mercure().anonymous(),
    "let Mercure subscribers without a token receive public updates");
  public static final ConfigKey<Boolean> MERCURE_SUBSCRIPTIONS = bool("mercure.subscriptions", false,
    c -> c.mercure().subscriptions(),
    "Mercure's active subscriptions, cluster-wide: private subscription events when a subscriber connects or "
      + "disconnects, and the subscriptions API at `/.well-known/mercure/subscriptions` (at most 10,000 "
      + "subscriptions per node)");

  /** All keys, in the order of the file, the docs and {@code /admin/config}. */
  public static final List<ConfigKey<?>> ALL = List.copyOf(DEFINED);

  private ConfigKeys() {
  }

  private static ConfigKey<Integer> integer(String name, int defaultValue, long min, long max,
                                            Function<HubConfig, Integer> read, String doc) {
    return define(name, INTEGER, defaultValue, min, max, false, read, doc);
  }

  private static ConfigKey<Boolean> bool(String name, boolean defaultValue, Function<HubConfig, Boolean> read,
                                         String doc) {
    return define(name, BOOLEAN, defaultValue, 0, 0, false, read, doc);
  }

  private static ConfigKey<String> string(String name, String defaultValue, Function<HubConfig, String> read,
                                          String doc) {
    return define(name, STRING, defaultValue, 0, 0, false, read, doc);
  }

  private static ConfigKey<String> file(String name, Function<HubConfig, String> read, String doc) {
    return define(name, FILE, null, 0, 0, false, read, doc);
  }

  private static ConfigKey<List<String>> strings(String name, Function<HubConfig, List<String>> read, String doc) {
    return define(name, STRING_LIST, List.of(), 0, 0, false, read, doc);
  }

  private static <T> ConfigKey<T> define(String name, ConfigKey.Type type, T defaultValue, long min, long max,
                                         boolean secret, Function<HubConfig, T> read, String doc) {
    String env = ENV_EXCEPTIONS.getOrDefault(name, ConfigKey.envNameOf(name));
    ConfigKey<T> key = new ConfigKey<>(name, type, defaultValue, min, max, secret, env, doc, read);
    DEFINED.add(key);
    return key;
  }
}
