package io.pushhub.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The definitions in {@link ConfigKeys} against the loader, the effective JSON and the records. */
class ConfigKeysTest {

  @Test
  void defaultsRoundTripThroughTheEffectiveJson() {
    HubConfig defaults = HubConfig.defaults();
    assertThat(ConfigLoader.fromJson(defaults.toRedactedJson())).isEqualTo(defaults);
    assertThat(ConfigLoader.fromJson(defaults.toJson())).isEqualTo(defaults);
  }

  @Test
  void everyDocumentedDefaultLoadsAndIsTheDefault() {
    Map<ConfigKey<?>, Object> defaults = new LinkedHashMap<>();
    ConfigKeys.ALL.stream().filter(key -> key.defaultValue() != null).forEach(key -> defaults.put(key, key.defaultValue()));
    HubConfig loaded = ConfigLoader.fromJson(file(defaults));
    assertThat(loaded).isEqualTo(HubConfig.defaults());
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      assertThat(key.read().apply(loaded)).as(key.name()).isEqualTo(key.defaultValue());
    }
  }

  @Test
  void everyKeyReachesItsOwnPlaceInTheRecordsAndRoundTrips(@TempDir Path dir) throws Exception {
    Map<ConfigKey<?>, Object> samples = samples(dir);
    JsonObject json = file(samples);
    HubConfig loaded = ConfigLoader.fromJson(json);
    samples.forEach((key, value) -> assertThat(key.read().apply(loaded)).as(key.name()).isEqualTo(value));
    assertThat(ConfigLoader.fromJson(loaded.toJson())).isEqualTo(loaded);
    assertThat(loaded.toJson()).isEqualTo(json);
  }

  @Test
  void theRedactedViewHidesEverySecretAndNothingElse(@TempDir Path dir) throws Exception {
    JsonObject json = file(samples(dir));
    JsonObject redacted = ConfigLoader.fromJson(json).toRedactedJson();
    assertThat(ConfigKeys.AUTH_HS256_SECRET.secret()).isTrue();
    assertThat(ConfigKeys.AUTH_PUBLIC_KEYS.secret()).isTrue();
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      Object shown = get(redacted, key);
      if (!key.secret()) {
        assertThat(shown).as(key.name()).isEqualTo(get(json, key));
      } else if (shown instanceof JsonArray list) {
        assertThat(list).as(key.name()).hasSize(((JsonArray) get(json, key)).size()).allMatch("***"::equals);
      } else {
        assertThat(shown).as(key.name()).isEqualTo("***");
      }
    }
    assertThat(redacted.encode()).doesNotContain("secret-sample").doesNotContain("BEGIN PUBLIC KEY");
  }

  @Test
  void environmentNamesFollowTheRuleAreUniqueAndAvoidTheReservedOnes() {
    assertThat(ConfigKey.envNameOf("http.port")).isEqualTo("PUSHHUB_HTTP_PORT");
    assertThat(ConfigKey.envNameOf("http.tls.certPath")).isEqualTo("PUSHHUB_HTTP_TLS_CERT_PATH");
    assertThat(ConfigKey.envNameOf("auth.hs256Secret")).isEqualTo("PUSHHUB_AUTH_HS256_SECRET");
    assertThat(ConfigKey.envNameOf("limits.connectsPerSecondPerClient"))
      .isEqualTo("PUSHHUB_LIMITS_CONNECTS_PER_SECOND_PER_CLIENT");
    assertThat(ConfigKeys.CLUSTER_PORT.env()).isEqualTo("PUSHHUB_CLUSTER_BUS_PORT");
    Set<String> names = new HashSet<>();
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      assertThat(names.add(key.env())).as("duplicate " + key.env()).isTrue();
      assertThat(Environment.RESERVED).as(key.name()).doesNotContainKey(key.env());
      if (key != ConfigKeys.CLUSTER_PORT) {
        assertThat(key.env()).isEqualTo(ConfigKey.envNameOf(key.name()));
      }
    }
  }

  @Test
  void keyNamesAndDocsFitTheFileAndTheTable() {
    Set<String> names = new HashSet<>();
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      assertThat(names.add(key.name())).as("duplicate " + key.name()).isTrue();
      assertThat(key.name()).matches("[a-z]+(\\.[a-z][A-Za-z0-9]*)+");
      assertThat(key.doc()).as(key.name()).isNotBlank().doesNotContain("|").doesNotContain("\n");
      if (key.type() == ConfigKey.Type.INTEGER) {
        assertThat((Integer) key.defaultValue()).as(key.name()).isBetween((int) key.min(), (int) key.max());
      }
    }
    // A key is never also a section (http.tls is a section: no key may be called http.tls).
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      assertThat(ConfigKeys.ALL).noneMatch(other -> other.section().equals(key.name()));
    }
  }

  /**
   * A value for every key that is not its default and, for integers, not any other key's sample: a
   * key read into another key's record component would show. URLs are checked beyond their type.
   */
  static Map<ConfigKey<?>, Object> samples(Path dir) throws Exception {
    Map<ConfigKey<?>, Object> samples = new LinkedHashMap<>();
    Set<Object> integers = new HashSet<>();
    int i = 0;
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      i++;
      Object value = switch (key.type()) {
        case INTEGER -> {
          int candidate = (int) key.min() + i;
          while (candidate == (Integer) key.defaultValue() || integers.contains(candidate)) {
            candidate++;
          }
          assertThat((long) candidate).as(key.name()).isLessThanOrEqualTo(key.max());
          yield candidate;
        }
        case NUMBER -> key.min() + (key.max() - key.min()) * (i % 7 + 1) / 8.0;
        case BOOLEAN -> !(Boolean) key.defaultValue();
        case STRING -> key.secret() ? "secret-sample-" + i
          : key == ConfigKeys.AUTH_JWKS_URL || key == ConfigKeys.TRACING_OTLP_ENDPOINT
          ? "https://sample-" + i + ".example.com/path" : "sample-" + i;
        case FILE -> Files.writeString(dir.resolve("file-" + i + ".pem"), "pem").toString();
        case STRING_LIST -> key.secret() ? List.of("-----BEGIN PUBLIC KEY-----\nA\n-----END PUBLIC KEY-----", "k" + i)
          : key == ConfigKeys.HTTP_TRUSTED_PROXIES ? List.of("192.0.2." + i, "10." + i + ".0.0/16")
          : List.of("item-" + i + "/a", "item-" + i + "/b");
      };
      if (key.type() == ConfigKey.Type.INTEGER) {
        assertThat(integers.add(value)).as("sample of " + key.name() + " is not unique").isTrue();
      }
      assertThat(value).as(key.name()).isNotEqualTo(key.defaultValue());
      samples.put(key, value);
    }
    return samples;
  }

  /** The config file that sets these values. */
  private static JsonObject file(Map<ConfigKey<?>, Object> values) {
    JsonObject json = new JsonObject();
    values.forEach((key, value) -> {
      JsonObject section = json;
      for (String name : key.section().split("\\.")) {
        if (section.getJsonObject(name) == null) {
          section.put(name, new JsonObject());
        }
        section = section.getJsonObject(name);
      }
      section.put(key.leaf(), value instanceof List<?> list ? new JsonArray(List.copyOf(list)) : value);
    });
    return json;
  }

  private static Object get(JsonObject json, ConfigKey<?> key) {
    JsonObject section = json;
    for (String name : key.section().split("\\.")) {
      section = section.getJsonObject(name);
    }
    return section.getValue(key.leaf());
  }
}
