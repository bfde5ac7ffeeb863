package io.pushhub.config;

import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keys from {@code PUSHHUB_*} variables: the mapping, the value syntax, the precedence and the errors. */
class EnvironmentTest {

  private static final String[] NO_FLAGS = {};

  @Test
  void everyKeyCanBeSetFromItsVariable(@TempDir Path dir) throws Exception {
    Map<ConfigKey<?>, Object> samples = ConfigKeysTest.samples(dir);
    Map<String, String> env = new HashMap<>();
    samples.forEach((key, value) -> env.put(key.env(), value instanceof List<?> list
      ? new JsonArray(List.copyOf(list)).encode() : String.valueOf(value)));
    HubConfig loaded = ConfigLoader.fromArgs(NO_FLAGS, env);
    samples.forEach((key, value) -> assertThat(key.read().apply(loaded)).as(key.env()).isEqualTo(value));
  }

  @Test
  void listsAreCommaSeparatedOrJsonArrays() {
    assertThat(origins("https://a.example, https://b.example")).containsExactly("https://a.example", "https://b.example");
    assertThat(origins("[\"https://a.example\", \"https://b.example\"]"))
      .containsExactly("https://a.example", "https://b.example");
    assertThat(origins("")).isEmpty();
    assertThat(ConfigLoader.fromArgs(NO_FLAGS, Map.of("PUSHHUB_AUTH_ANONYMOUS_TOPICS", "[\"a,b/*\"]"))
      .auth().anonymousTopics()).containsExactly("a,b/*");
    assertThatThrownBy(() -> origins("https://a.example,,https://b.example"))
      .hasMessage("config key 'cors.allowedOrigins' must be a list of non-empty strings"
        + " (from environment variable PUSHHUB_CORS_ALLOWED_ORIGINS)");
    assertThatThrownBy(() -> origins("[\"https://a.example\""))
      .hasMessageContaining("PUSHHUB_CORS_ALLOWED_ORIGINS starts with '[' but is not a JSON array");
    assertThatThrownBy(() -> origins("[1, 2]")).hasMessageContaining("must be a list of non-empty strings");
  }

  @Test
  void valuesAreCheckedAsTheFileIsWithTheSameMessagePlusTheVariable() {
    assertThatThrownBy(() -> ConfigLoader.fromArgs(NO_FLAGS, Map.of("PUSHHUB_HTTP_PORT", "80a")))
      .isInstanceOf(ConfigException.class)
      .hasMessage("config key 'http.port' must be an integer from -1 to 65535, got 80a"
        + " (from environment variable PUSHHUB_HTTP_PORT)");
    assertThatThrownBy(() -> ConfigLoader.fromArgs(NO_FLAGS, Map.of("PUSHHUB_SSE_HEARTBEAT_SECONDS", "0")))
      .hasMessage("config key 'sse.heartbeatSeconds' must be an integer from 1 to 3600, got 0"
        + " (from environment variable PUSHHUB_SSE_HEARTBEAT_SECONDS)");
    assertThatThrownBy(() -> ConfigLoader.fromArgs(NO_FLAGS, Map.of("PUSHHUB_HTTP_TCP_NO_DELAY", "yes")))
      .hasMessageStartingWith("config key 'http.tcpNoDelay' must be true or false, got yes");
    assertThatThrownBy(() -> ConfigLoader.fromArgs(NO_FLAGS, Map.of("PUSHHUB_AUTH_HS256_SECRET", "")))
      .hasMessage("config key 'auth.hs256Secret' must be a non-empty string"
        + " (from environment variable PUSHHUB_AUTH_HS256_SECRET)");
    assertThatThrownBy(() -> ConfigLoader.fromArgs(NO_FLAGS, Map.of("PUSHHUB_HTTP_TLS_CERT_PATH", "/nonexistent.pem")))
      .hasMessageStartingWith("config key 'http.tls.certPath': file not readable: /nonexistent.pem");
    assertThatThrownBy(() -> ConfigLoader.fromArgs(NO_FLAGS, Map.of("PUSHHUB_AUTH_JWKS_URL", "file:///etc/keys.json")))
      .hasMessage("config key 'auth.jwksUrl' must be an http:// or https:// URL, got file:///etc/keys.json"
        + " (from environment variable PUSHHUB_AUTH_JWKS_URL)");
  }

  @Test
  void flagsBeatTheEnvironmentWhichBeatsTheFileWhichBeatsTheDefaults(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("hub.json"),
      "{\"http\": {\"port\": 9000, \"drainSeconds\": 3}, \"replay\": {\"maxEvents\": 5}}");
    Map<String, String> env = Map.of("PUSHHUB_HTTP_PORT", "9100", "PUSHHUB_REPLAY_MAX_EVENTS", "6",
      "PUSHHUB_CLUSTER_ENABLED", "false");
    HubConfig fileOnly = ConfigLoader.fromArgs(new String[]{"--config", file.toString()}, Map.of());
    HubConfig fileAndEnv = ConfigLoader.fromArgs(new String[]{"--config", file.toString()}, env);
    HubConfig all = ConfigLoader.fromArgs(new String[]{"--config", file.toString(), "--port", "9200", "--cluster"}, env);
    assertThat(fileOnly.http().port()).isEqualTo(9000);
    assertThat(fileAndEnv.http().port()).isEqualTo(9100);
    assertThat(fileAndEnv.replay().maxEvents()).isEqualTo(6);
    assertThat(fileAndEnv.http().drainSeconds()).isEqualTo(3);
    assertThat(fileAndEnv.sse().heartbeatSeconds()).isEqualTo(15);
    assertThat(fileAndEnv.cluster().enabled()).isFalse();
    assertThat(all.http().port()).isEqualTo(9200);
    assertThat(all.cluster().enabled()).isTrue();
    assertThat(all.replay().maxEvents()).isEqualTo(6);
  }

  @Test
  void unknownPushhubVariablesFailButReservedAndForeignOnesDoNot() {
    assertThatThrownBy(() -> ConfigLoader.fromArgs(NO_FLAGS, Map.of("PUSHHUB_HTTP_PROT", "1")))
      .hasMessage("unknown environment variable PUSHHUB_HTTP_PROT (no such config key; see docs/configuration.md)");
    Map<String, String> env = new HashMap<>();
    Environment.RESERVED.keySet().forEach(name -> env.put(name, "anything"));
    env.put("PATH", "/usr/bin");
    env.put("HTTP_PORT", "not ours");
    assertThat(ConfigLoader.fromArgs(NO_FLAGS, env)).isEqualTo(HubConfig.defaults());
  }

  @Test
  void theHazelcastPortVariableNeverSetsTheEventBusPort() {
    HubConfig config = ConfigLoader.fromArgs(NO_FLAGS, Map.of("PUSHHUB_CLUSTER_PORT", "5701",
      "PUSHHUB_CLUSTER_BUS_PORT", "6000"));
    assertThat(config.cluster().port()).isEqualTo(6000);
    assertThat(ConfigLoader.fromArgs(NO_FLAGS, Map.of("PUSHHUB_CLUSTER_PORT", "5701")).cluster().port()).isZero();
  }

  /** Every PUSHHUB_* name the shipped files use is a key's variable or a reserved one: none would stop the hub. */
  @Test
  void theShippedFilesUseOnlyKnownVariables() throws IOException {
    Pattern name = Pattern.compile("PUSHHUB_[A-Z0-9_]*[A-Z0-9]");
    Set<String> used = new TreeSet<>();
    for (String root : List.of("cluster-config", "deploy", "scripts", "perf", "src/main")) {
      try (Stream<Path> files = Files.walk(Path.of(root))) {
        for (Path file : files.filter(Files::isRegularFile).filter(EnvironmentTest::isText).toList()) {
          Matcher m = name.matcher(Files.readString(file));
          while (m.find()) {
            used.add(m.group());
          }
        }
      }
    }
    Set<String> known = ConfigKeys.ALL.stream().map(ConfigKey::env).collect(Collectors.toSet());
    known.addAll(Environment.RESERVED.keySet());
    assertThat(used).contains("PUSHHUB_CLUSTER_PORT", "PUSHHUB_LOG_LEVEL");
    assertThat(known).containsAll(used);
  }

  private static boolean isText(Path file) {
    String name = file.getFileName().toString();
    return Stream.of(".java", ".xml", ".yaml", ".yml", ".sh", ".py", ".json", ".service", ".conf", ".properties", ".md")
      .anyMatch(name::endsWith) || !name.contains(".");
  }

  private static List<String> origins(String value) {
    return ConfigLoader.fromArgs(NO_FLAGS, Map.of("PUSHHUB_CORS_ALLOWED_ORIGINS", value)).cors().allowedOrigins();
  }
}
