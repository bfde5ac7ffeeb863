package io.pushhub.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one place that reads configuration: command-line flags and the JSON file of SPEC §1 and §8.
 * Unknown flags, unknown keys, wrong types and out-of-range values are {@link ConfigException}s.
 */
public final class ConfigLoader {

  private static final String USAGE =
    "usage: pushhub [--config FILE] [--port N] [--cluster] [--cluster-config FILE]  (or: pushhub token --help)";

  private ConfigLoader() {
  }

  public static HubConfig fromArgs(String[] args) {
    String file = null;
    Integer port = null;
    boolean cluster = false;
    String clusterFile = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--config" -> file = valueOf(args, ++i, arg);
        case "--port" -> port = parsePort(valueOf(args, ++i, arg));
        case "--cluster" -> cluster = true;
        case "--cluster-config" -> {
          clusterFile = valueOf(args, ++i, arg);
          cluster = true;
        }
        default -> throw new ConfigException("unknown argument '" + arg + "'; " + USAGE);
      }
    }
    JsonObject json = file == null ? new JsonObject() : readFile(file);
    if (port != null) {
      section(json, "http").put("port", port);
    }
    if (cluster) {
      section(json, "cluster").put("enabled", true);
    }
    if (clusterFile != null) {
      if (!Files.isReadable(Path.of(clusterFile))) {
        throw new ConfigException("cluster config file not readable: " + clusterFile);
      }
      section(json, "cluster").put("config", clusterFile);
    }
    return fromJson(json);
  }

  public static HubConfig fromJson(JsonObject json) {
    Reader root = new Reader("", json);
    Reader http = root.section("http");
    Reader tls = http.section("tls");
    Reader sse = root.section("sse");
    Reader replay = root.section("replay");
    Reader limits = root.section("limits");
    Reader auth = root.section("auth");
    Reader cors = root.section("cors");
    Reader cluster = root.section("cluster");
    Reader breaker = root.section("publish").section("breaker");
    Reader metrics = root.section("metrics");
    HubConfig config = new HubConfig(
      new HubConfig.Http(
        http.integer("port", 8080, -1, 65535),
        http.string("host", "0.0.0.0"),
        http.integer("instances", 0, 0, 1024),
        http.integer("drainSeconds", 10, 0, 3600),
        http.bool("trustForwardedFor", false),
        new HubConfig.Tls(readableFile(tls, "certPath"), readableFile(tls, "keyPath")),
        http.integer("maxUrlBytes", 16_384, 1024, 1_048_576),
        http.integer("maxHeaderBytes", 16_384, 1024, 1_048_576),
        http.integer("idleTimeoutSeconds", 120, 1, 86_400),
        http.integer("requestTimeoutSeconds", 10, 1, 3600),
        http.bool("tcpNoDelay", true)),
      new HubConfig.Sse(
        sse.integer("heartbeatSeconds", 15, 1, 3600),
        sse.integer("retryMillis", 3000, 0, 3_600_000),
        sse.integer("maxTopicsPerConnection", 32, 1, 1024),
        sse.integer("maxQueuedBytes", 1_048_576, 1024, Integer.MAX_VALUE)),
      new HubConfig.Replay(
        replay.integer("maxEvents", 1000, 1, 1_000_000),
        replay.integer("maxAgeSeconds", 300, 1, 30 * 86_400)),
      new HubConfig.Limits(
        limits.integer("maxConnections", 100_000, 1, Integer.MAX_VALUE),
        limits.integer("maxConnectionsPerClient", 100, 1, Integer.MAX_VALUE),
        limits.integer("connectsPerSecondPerClient", 20, 1, Integer.MAX_VALUE),
        limits.integer("publishesPerSecond", 1000, 1, Integer.MAX_VALUE),
        limits.integer("maxEventBytes", 65_536, 1, 16 * 1024 * 1024)),
      new HubConfig.Auth(
        auth.string("hs256Secret", null),
        auth.strings("publicKeys"),
        auth.string("issuer", null),
        auth.string("audience", null),
        auth.strings("anonymousTopics"),
        new HubConfig.Jwks(
          httpUrl(auth, "jwksUrl"),
          auth.integer("jwksRefreshSeconds", 300, 10, 86_400),
          auth.integer("jwksMinRefreshSeconds", 30, 1, 3600))),
      new HubConfig.Cors(
        cors.strings("allowedOrigins"),
        cors.bool("allowCredentials", true),
        cors.integer("maxAgeSeconds", 600, 0, 86_400)),
      new HubConfig.Cluster(
        cluster.bool("enabled", false),
        cluster.string("config", "cluster-config/hazelcast.xml"),
        cluster.string("host", null),
        cluster.string("publicHost", null),
        cluster.integer("port", 0, 0, 65535)),
      new HubConfig.Publish(
        breaker.integer("maxFailures", 5, 1, 1_000_000),
        breaker.integer("timeoutMillis", 2000, 1, 600_000),
        breaker.integer("resetMillis", 5000, 1, 3_600_000)),
      new HubConfig.Metrics(
        metrics.integer("port", 0, -1, 65535),
        metrics.string("host", "0.0.0.0")));
    root.rejectUnknown();
    if ((config.http().tls().certPath() == null) != (config.http().tls().keyPath() == null)) {
      throw new ConfigException("http.tls.certPath and http.tls.keyPath go together: set both or neither");
    }
    return config;
  }

  private static String httpUrl(Reader section, String key) {
    String url = section.string(key, null);
    if (url != null && !url.startsWith("https://") && !url.startsWith("http://")) {
      throw new ConfigException("config key '" + section.name(key) + "' must be an http:// or https:// URL, got " + url);
    }
    return url;
  }

  private static String readableFile(Reader section, String key) {
    String file = section.string(key, null);
    if (file != null && !Files.isReadable(Path.of(file))) {
      throw new ConfigException("config key '" + section.name(key) + "': file not readable: " + file);
    }
    return file;
  }

  private static String valueOf(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new ConfigException(flag + " needs a value; " + USAGE);
    }
    return args[i];
  }

  private static int parsePort(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new ConfigException("--port must be a number from 0 to 65535, got '" + value + "'");
    }
  }

  private static JsonObject readFile(String file) {
    try {
      return new JsonObject(Files.readString(Path.of(file)));
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigException("config file " + file + " is not a JSON object: " + firstLine(e.getMessage()));
    }
  }

  private static JsonObject section(JsonObject json, String name) {
    Object existing = json.getValue(name);
    if (existing instanceof JsonObject object) {
      return object;
    }
    JsonObject created = new JsonObject();
    json.put(name, created);
    return created;
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  /** Typed access to one JSON object that remembers which keys were read, to reject the rest. */
  private static final class Reader {
    private final String path;
    private final JsonObject json;
    private final Set<String> known = new HashSet<>();
    private final List<Reader> children = new ArrayList<>();

    Reader(String path, JsonObject json) {
      this.path = path;
      this.json = json;
    }

    Reader section(String name) {
      known.add(name);
      Object value = json.getValue(name);
      if (value != null && !(value instanceof JsonObject)) {
        throw new ConfigException("config key '" + name(name) + "' must be an object");
      }
      Reader child = new Reader(name(name) + ".", value == null ? new JsonObject() : (JsonObject) value);
      children.add(child);
      return child;
    }

    int integer(String key, int defaultValue, int min, long max) {
      Object value = read(key);
      if (value == null) {
        return defaultValue;
      }
      if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min
        || ((Number) value).longValue() > max) {
        throw new ConfigException("config key '" + name(key) + "' must be an integer from " + min + " to " + max
          + ", got " + value);
      }
      return ((Number) value).intValue();
    }

    boolean bool(String key, boolean defaultValue) {
      Object value = read(key);
      if (value == null) {
        return defaultValue;
      }
      if (!(value instanceof Boolean b)) {
        throw new ConfigException("config key '" + name(key) + "' must be true or false, got " + value);
      }
      return b;
    }

    String string(String key, String defaultValue) {
      Object value = read(key);
      if (value == null) {
        return defaultValue;
      }
      if (!(value instanceof String s) || s.isEmpty()) {
        throw new ConfigException("config key '" + name(key) + "' must be a non-empty string");
      }
      return s;
    }

    List<String> strings(String key) {
      Object value = read(key);
      if (value == null) {
        return List.of();
      }
      if (!(value instanceof JsonArray array) || !array.stream().allMatch(v -> v instanceof String s && !s.isEmpty())) {
        throw new ConfigException("config key '" + name(key) + "' must be a list of non-empty strings");
      }
      return array.stream().map(String.class::cast).toList();
    }

    private Object read(String key) {
      known.add(key);
      return json.getValue(key);
    }

    String name(String key) {
      return path + key;
    }

    void rejectUnknown() {
      for (String key : json.fieldNames()) {
        if (!known.contains(key)) {
          throw new ConfigException("unknown config key '" + name(key) + "'");
        }
      }
      children.forEach(Reader::rejectUnknown);
    }
  }
}
