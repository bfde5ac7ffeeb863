package io.pushhub.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Config keys from {@code PUSHHUB_*} environment variables ({@link ConfigKey#env()}). Values are
 * text, turned into what the JSON file would hold and then checked by the same {@link ConfigKey#parse}.
 */
final class Environment {

  static final String PREFIX = "PUSHHUB_";

  /** Variables that are not hub config keys but are read elsewhere: never a key's name, never "unknown". */
  static final Map<String, String> RESERVED = reserved(
    "PUSHHUB_CLUSTER_NAME", "Hazelcast cluster name, read by cluster-config/*.xml",
    "PUSHHUB_CLUSTER_PORT", "Hazelcast member port (and the 19 after it), read by cluster-config/*.xml",
    "PUSHHUB_CLUSTER_MEMBERS", "Hazelcast TCP-IP members, read by cluster-config/hazelcast.xml",
    "PUSHHUB_KUBERNETES_SERVICE", "Kubernetes discovery service, read by cluster-config/hazelcast-kubernetes.xml",
    "PUSHHUB_KUBERNETES_NAMESPACE", "Kubernetes discovery namespace, read by cluster-config/hazelcast-kubernetes.xml",
    "PUSHHUB_LOG_LEVEL", "root log level, read by the logging setup");

  private Environment() {
  }

  /**
   * The raw values the environment sets, by key.
   *
   * @throws ConfigException for a {@code PUSHHUB_*} variable that is neither a key nor reserved, or a
   *                         list variable that starts with {@code [} but is not a JSON array
   */
  static Map<ConfigKey<?>, Object> values(Map<String, String> env) {
    Map<String, ConfigKey<?>> byEnv = ConfigKeys.ALL.stream()
      .collect(Collectors.toMap(ConfigKey::env, key -> key));
    for (String name : new TreeSet<>(env.keySet())) {
      if (name.startsWith(PREFIX) && !byEnv.containsKey(name) && !RESERVED.containsKey(name)) {
        throw new ConfigException("unknown environment variable " + name
          + " (no such config key; see docs/configuration.md)");
      }
    }
    Map<ConfigKey<?>, Object> values = new LinkedHashMap<>();
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      String text = env.get(key.env());
      if (text != null) {
        values.put(key, raw(key, text));
      }
    }
    return values;
  }

  /**
   * Integers and booleans as JSON would hold them when the text is one (else the text itself, which
   * {@link ConfigKey#parse} then rejects with the usual message); lists as a JSON array when the text
   * starts with {@code [}, else comma-separated with blanks around items trimmed ("" is the empty list).
   */
  static Object raw(ConfigKey<?> key, String text) {
    return switch (key.type()) {
      case INTEGER -> {
        try {
          yield Long.parseLong(text);
        } catch (NumberFormatException e) {
          yield text;
        }
      }
      case NUMBER -> {
        try {
          yield Double.parseDouble(text);
        } catch (NumberFormatException e) {
          yield text;
        }
      }
      case BOOLEAN -> text.equals("true") ? Boolean.TRUE : text.equals("false") ? Boolean.FALSE : text;
      case STRING, FILE -> text;
      case STRING_LIST -> list(key, text);
    };
  }

  private static JsonArray list(ConfigKey<?> key, String text) {
    if (text.strip().startsWith("[")) {
      try {
        return new JsonArray(text);
      } catch (DecodeException e) {
        throw new ConfigException("environment variable " + key.env() + " starts with '[' but is not a JSON array"
          + " of strings (config key '" + key.name() + "')");
      }
    }
    if (text.isBlank()) {
      return new JsonArray();
    }
    return new JsonArray(Arrays.stream(text.split(",", -1)).map(item -> (Object) item.strip()).toList());
  }

  private static Map<String, String> reserved(String... namesAndUses) {
    Map<String, String> reserved = new LinkedHashMap<>();
    for (int i = 0; i < namesAndUses.length; i += 2) {
      reserved.put(namesAndUses[i], namesAndUses[i + 1]);
    }
    return reserved;
  }
}
