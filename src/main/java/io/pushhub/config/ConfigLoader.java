package io.pushhub.config;

import io.pushhub.http.Cidr;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.pushhub.config.ConfigKeys.*;

/**
 * The one place that reads configuration: the keys of {@link ConfigKeys} from, in this order of
 * precedence, command-line flags, {@code PUSHHUB_*} environment variables, the JSON files (a later
 * one over the earlier ones), and the defaults. Unknown flags, keys and variables, wrong types and out-of-range values are
 * {@link ConfigException}s.
 */
public final class ConfigLoader {

  private static final Map<String, ConfigKey<?>> BY_NAME = ConfigKeys.ALL.stream()
    .collect(Collectors.toMap(ConfigKey::name, Function.identity()));
  /** {@code http}, {@code http.tls}, {@code publish}, {@code publish.breaker}, …: the objects a file may hold. */
  private static final Set<String> SECTIONS = sections();

  private ConfigLoader() {
  }

  /** Flags, this process's environment, the files the flags name. */
  public static HubConfig fromArgs(String[] args) {
    return fromArgs(args, System.getenv());
  }

  public static HubConfig fromArgs(String[] args, Map<String, String> env) {
    return load(CommandLine.parse(args), env);
  }

  public static HubConfig load(CommandLine flags, Map<String, String> env) {
    // A later file's keys override the earlier ones': keys can live apart from the rest (a Secret).
    Map<ConfigKey<?>, Object> raw = new HashMap<>();
    for (String file : flags.configFiles()) {
      fileValues(ConfigFile.read(file)).forEach((key, value) -> {
        if (value != null) {
          raw.put(key, value);
        }
      });
    }
    Map<ConfigKey<?>, String> origin = new HashMap<>();
    Environment.values(env).forEach((key, value) -> {
      raw.put(key, value);
      origin.put(key, "environment variable " + key.env());
    });
    if (flags.port() != null) {
      raw.put(HTTP_PORT, flags.port());
    }
    if (flags.cluster()) {
      raw.put(CLUSTER_ENABLED, true);
    }
    if (flags.clusterConfig() != null) {
      if (!Files.isReadable(Path.of(flags.clusterConfig()))) {
        throw new ConfigException("cluster config file not readable: " + flags.clusterConfig());
      }
      raw.put(CLUSTER_CONFIG, flags.clusterConfig());
    }
    return build(raw, origin);
  }

  /** The file's keys alone, over the defaults (tests, and config embedded in other files). */
  public static HubConfig fromJson(JsonObject json) {
    return build(fileValues(json), Map.of());
  }

  private static HubConfig build(Map<ConfigKey<?>, Object> raw, Map<ConfigKey<?>, String> origin) {
    Values v = new Values(raw, origin);
    HubConfig config = new HubConfig(
      new HubConfig.Http(v.get(HTTP_PORT), v.get(HTTP_HOST), v.get(HTTP_INSTANCES), v.get(HTTP_DRAIN_SECONDS),
        v.get(HTTP_TRUST_FORWARDED_FOR), new HubConfig.Tls(v.get(HTTP_TLS_CERT_PATH), v.get(HTTP_TLS_KEY_PATH)),
        v.get(HTTP_MAX_URL_BYTES), v.get(HTTP_MAX_HEADER_BYTES), v.get(HTTP_IDLE_TIMEOUT_SECONDS),
        v.get(HTTP_REQUEST_TIMEOUT_SECONDS), v.get(HTTP_TCP_NO_DELAY), v.get(HTTP_TRUSTED_PROXIES)),
      new HubConfig.Sse(v.get(SSE_HEARTBEAT_SECONDS), v.get(SSE_RETRY_MILLIS), v.get(SSE_MAX_TOPICS_PER_CONNECTION),
        v.get(SSE_MAX_QUEUED_BYTES)),
      new HubConfig.Replay(v.get(REPLAY_MAX_EVENTS), v.get(REPLAY_MAX_AGE_SECONDS)),
      new HubConfig.Limits(v.get(LIMITS_MAX_CONNECTIONS), v.get(LIMITS_MAX_CONNECTIONS_PER_CLIENT),
        v.get(LIMITS_CONNECTS_PER_SECOND_PER_CLIENT), v.get(LIMITS_PUBLISHES_PER_SECOND), v.get(LIMITS_MAX_EVENT_BYTES)),
      new HubConfig.Auth(v.get(AUTH_HS256_SECRET), v.get(AUTH_PUBLIC_KEYS), v.get(AUTH_ISSUER), v.get(AUTH_AUDIENCE),
        v.get(AUTH_ANONYMOUS_TOPICS), v.get(AUTH_REQUIRE_EXP), new HubConfig.Jwks(v.get(AUTH_JWKS_URL),
        v.get(AUTH_JWKS_REFRESH_SECONDS), v.get(AUTH_JWKS_MIN_REFRESH_SECONDS))),
      new HubConfig.Cors(v.get(CORS_ALLOWED_ORIGINS), v.get(CORS_ALLOW_CREDENTIALS), v.get(CORS_MAX_AGE_SECONDS)),
      new HubConfig.Cluster(v.get(CLUSTER_ENABLED), v.get(CLUSTER_CONFIG), v.get(CLUSTER_HOST),
        v.get(CLUSTER_PUBLIC_HOST), v.get(CLUSTER_PORT), v.get(CLUSTER_MIN_MEMBERS)),
      new HubConfig.Publish(v.get(PUBLISH_BREAKER_MAX_FAILURES), v.get(PUBLISH_BREAKER_TIMEOUT_MILLIS),
        v.get(PUBLISH_BREAKER_RESET_MILLIS)),
      new HubConfig.Metrics(v.get(METRICS_PORT), v.get(METRICS_HOST)),
      new HubConfig.Tracing(v.get(TRACING_ENABLED), v.get(TRACING_OTLP_ENDPOINT), v.get(TRACING_SERVICE_NAME),
        v.get(TRACING_SAMPLE_RATIO)),
      new HubConfig.Mercure(v.get(MERCURE_ENABLED), v.get(MERCURE_ANONYMOUS), v.get(MERCURE_SUBSCRIPTIONS)));
    if ((config.http().tls().certPath() == null) != (config.http().tls().keyPath() == null)) {
      throw new ConfigException("http.tls.certPath and http.tls.keyPath go together: set both or neither");
    }
    checkForwarding(config, origin);
    checkUrl(AUTH_JWKS_URL, config.auth().jwks().url(), origin);
    checkUrl(TRACING_OTLP_ENDPOINT, config.tracing().otlpEndpoint(), origin);
    return config;
  }

  /**
   * Behind a proxy every client may reach the hub from loopback, and development mode opens
   * publishing and the admin API to loopback: a hub told a proxy is in front must have keys.
   */
  private static void checkForwarding(HubConfig config, Map<ConfigKey<?>, String> origin) {
    for (String proxy : config.http().trustedProxies()) {
      if (Cidr.parse(proxy) == null) {
        String from = origin.get(HTTP_TRUSTED_PROXIES);
        throw new ConfigException("config key 'http.trustedProxies' must list addresses or address/prefix blocks, got "
          + proxy + (from == null ? "" : " (from " + from + ")"));
      }
    }
    if (config.http().trustForwardedFor() && config.auth().developmentMode()) {
      throw new ConfigException("http.trustForwardedFor is on (a proxy in front) but no auth key is configured: "
        + "development mode would open publishing and the admin API to whatever reaches the hub through the proxy; "
        + "set auth.hs256Secret, auth.publicKeys or auth.jwksUrl");
    }
  }

  /** A JWKS document or an OTLP collector is reached over HTTP(S); anything else would fail only later, at the first use. */
  private static void checkUrl(ConfigKey<String> key, String url, Map<ConfigKey<?>, String> origin) {
    if (url != null && !url.startsWith("https://") && !url.startsWith("http://")) {
      String from = origin.get(key);
      throw new ConfigException("config key '" + key.name() + "' must be an http:// or https:// URL, got " + url
        + (from == null ? "" : " (from " + from + ")"));
    }
  }

  /** The keys a file sets; sections must be objects, anything else is an unknown key. */
  private static Map<ConfigKey<?>, Object> fileValues(JsonObject json) {
    Map<ConfigKey<?>, Object> values = new LinkedHashMap<>();
    collect("", json, values);
    return values;
  }

  private static void collect(String path, JsonObject json, Map<ConfigKey<?>, Object> into) {
    for (String field : json.fieldNames()) {
      String name = path.isEmpty() ? field : path + "." + field;
      Object value = json.getValue(field);
      ConfigKey<?> key = BY_NAME.get(name);
      if (key != null) {
        into.put(key, value);
      } else if (!SECTIONS.contains(name)) {
        throw new ConfigException("unknown config key '" + name + "'");
      } else if (value instanceof JsonObject section) {
        collect(name, section, into);
      } else if (value != null) {
        throw new ConfigException("config key '" + name + "' must be an object");
      }
    }
  }

  private static Set<String> sections() {
    Set<String> sections = new HashSet<>();
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      for (String section = key.section(); !section.isEmpty(); section = parentOf(section)) {
        sections.add(section);
      }
    }
    return sections;
  }

  private static String parentOf(String section) {
    int dot = section.lastIndexOf('.');
    return dot < 0 ? "" : section.substring(0, dot);
  }

  /** Every key checked and typed, in the order of {@link ConfigKeys#ALL}; a bad value names where it came from. */
  private static final class Values {
    private final Map<ConfigKey<?>, Object> typed = new HashMap<>();

    Values(Map<ConfigKey<?>, Object> raw, Map<ConfigKey<?>, String> origin) {
      for (ConfigKey<?> key : ConfigKeys.ALL) {
        try {
          typed.put(key, key.parse(raw.get(key)));
        } catch (ConfigException e) {
          String from = origin.get(key);
          throw from == null ? e : new ConfigException(e.getMessage() + " (from " + from + ")");
        }
      }
    }

    @SuppressWarnings("unchecked")
    <T> T get(ConfigKey<T> key) {
      return (T) typed.get(key);
    }
  }
}
