package io.pushhub.config;

import io.vertx.core.json.JsonArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One config key: its dotted name, type, default, range, whether it is a secret, its environment
 * variable, its one-line doc, and where its value sits in {@link HubConfig}. The keys themselves
 * are listed once, in {@link ConfigKeys}.
 *
 * @param name   dotted path in the JSON file ({@code http.port} is {@code {"http": {"port": …}}})
 * @param env    the environment variable that sets it
 * @param read   the key's value in a loaded config (for the effective JSON and the round-trip tests)
 * @param <T>    Integer, Double, Boolean, String or List&lt;String&gt;
 */
public record ConfigKey<T>(String name, Type type, T defaultValue, long min, long max, boolean secret, String env,
                           String doc, Function<HubConfig, T> read) {

  /** What a value may be, in the file and (parsed from text) in the environment. */
  public enum Type {
    INTEGER("integer"), NUMBER("number"), BOOLEAN("boolean"), STRING("string"), FILE("file path"), STRING_LIST("list of strings");

    private final String label;

    Type(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** {@code http.tls.certPath} → {@code PUSHHUB_HTTP_TLS_CERT_PATH}: dots and camel-case humps become {@code _}. */
  public static String envNameOf(String name) {
    return "PUSHHUB_" + name.replace('.', '_').replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  /** The section path of this key: {@code http.tls} for {@code http.tls.certPath}, "" for a top-level key. */
  public String section() {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(0, dot);
  }

  public String leaf() {
    return name.substring(name.lastIndexOf('.') + 1);
  }

  /**
   * Checks a raw value (as JSON decodes it, or as {@link Environment} converts it) and returns it
   * typed; null gives the default. The messages are the same whatever the value came from.
   */
  @SuppressWarnings("unchecked")
  public T parse(Object raw) {
    if (raw == null) {
      return defaultValue;
    }
    return (T) switch (type) {
      case INTEGER -> integer(raw);
      case NUMBER -> number(raw);
      case BOOLEAN -> {
        if (!(raw instanceof Boolean b)) {
          throw invalid("must be true or false, got " + raw);
        }
        yield b;
      }
      case STRING -> string(raw);
      case FILE -> {
        String file = string(raw);
        if (!Files.isReadable(Path.of(file))) {
          throw new ConfigException("config key '" + name + "': file not readable: " + file);
        }
        yield file;
      }
      case STRING_LIST -> {
        if (!(raw instanceof JsonArray array) || !array.stream().allMatch(v -> v instanceof String s && !s.isEmpty())) {
          throw invalid("must be a list of non-empty strings");
        }
        yield array.stream().map(String.class::cast).toList();
      }
    };
  }

  private int integer(Object raw) {
    if (!(raw instanceof Integer || raw instanceof Long) || ((Number) raw).longValue() < min
      || ((Number) raw).longValue() > max) {
      throw invalid("must be an integer from " + min + " to " + max + ", got " + raw);
    }
    return ((Number) raw).intValue();
  }

  private double number(Object raw) {
    if (!(raw instanceof Number n) || !(n.doubleValue() >= min && n.doubleValue() <= max)) {
      throw invalid("must be a number from " + min + " to " + max + ", got " + raw);
    }
    return n.doubleValue();
  }

  private String string(Object raw) {
    if (!(raw instanceof String s) || s.isEmpty()) {
      throw invalid("must be a non-empty string");
    }
    return s;
  }

  private ConfigException invalid(String what) {
    return new ConfigException("config key '" + name + "' " + what);
  }

  /** The value as the effective JSON shows it: secrets (each list item of a secret list) as {@code "***"}. */
  public Object toJson(HubConfig config, boolean redact) {
    T value = read.apply(config);
    if (value instanceof List<?> list) {
      return new JsonArray(list.stream().map(item -> redact && secret ? "***" : item).toList());
    }
    return redact && secret && value != null ? "***" : value;
  }
}
