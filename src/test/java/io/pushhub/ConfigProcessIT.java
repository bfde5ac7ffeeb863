package io.pushhub;

import io.pushhub.config.BuildInfo;
import io.pushhub.support.HubProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The jar's configuration as an operator meets it: --help, --version, the environment, a broken file. */
@Tag("process")
class ConfigProcessIT {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void helpPrintsTheUsageAndExitsZero() throws Exception {
    try (HubProcess hub = HubProcess.run("--help")) {
      assertThat(hub.awaitExit(Duration.ofSeconds(20))).isZero();
      await().until(() -> hub.stdout().stream().anyMatch(l -> l.contains("docs/configuration.md")));
      assertThat(hub.stdout().get(0)).startsWith("usage: pushhub [--config FILE]");
      assertThat(String.join("\n", hub.stdout())).contains("--version", "PUSHHUB_HTTP_PORT");
      assertThat(hub.stderr()).isEmpty();
    }
  }

  @Test
  void versionPrintsTheBuildsVersionAndExitsZero() throws Exception {
    try (HubProcess hub = HubProcess.run("--version")) {
      assertThat(hub.awaitExit(Duration.ofSeconds(20))).isZero();
      await().until(() -> !hub.stdout().isEmpty());
      assertThat(hub.stdout()).containsExactly("pushhub " + BuildInfo.version());
    }
  }

  @Test
  void theEnvironmentBeatsTheFileAndFlagsBeatTheEnvironment(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("hub.json"),
      "{\"http\": {\"port\": 0, \"instances\": 1}, \"replay\": {\"maxEvents\": 5}, \"sse\": {\"retryMillis\": 100}}");
    // The port the environment asks for is taken: the hub starts only because --port 0 wins.
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         HubProcess hub = HubProcess.run(Map.of(
           "PUSHHUB_HTTP_PORT", Integer.toString(taken.getLocalPort()),
           "PUSHHUB_REPLAY_MAX_EVENTS", "7",
           "PUSHHUB_CORS_ALLOWED_ORIGINS", "https://a.example, https://b.example",
           // The Hazelcast XML's own variable: neither a key nor unknown, and no cluster here to read it.
           "PUSHHUB_CLUSTER_PORT", "5999"),
         "--config", config.toString(), "--port", "0")) {
      int port = hub.awaitStarted();
      assertThat(port).isNotEqualTo(taken.getLocalPort());
      JsonObject effective = new JsonObject(get(port, "/admin/config").body());
      assertThat(effective.getJsonObject("replay").getInteger("maxEvents")).isEqualTo(7);
      assertThat(effective.getJsonObject("sse").getInteger("retryMillis")).isEqualTo(100);
      assertThat(effective.getJsonObject("cors").getJsonArray("allowedOrigins").getList())
        .containsExactly("https://a.example", "https://b.example");
      assertThat(effective.getJsonObject("cluster").getInteger("port")).isZero();
      assertThat(get(port, "/metrics").body()).contains("pushhub_build_info{version=\"" + BuildInfo.version() + "\"} 1");
    }
  }

  @Test
  void aBadValueInTheEnvironmentNamesTheVariableAndExits2() throws Exception {
    try (HubProcess hub = HubProcess.run(Map.of("PUSHHUB_SSE_HEARTBEAT_SECONDS", "0"))) {
      assertThat(hub.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
      await().until(() -> !hub.stderr().isEmpty());
      assertThat(hub.stderr()).containsExactly("pushhub: config key 'sse.heartbeatSeconds' must be an integer from 1"
        + " to 3600, got 0 (from environment variable PUSHHUB_SSE_HEARTBEAT_SECONDS)");
    }
  }

  @Test
  void anUnknownPushhubVariableExits2() throws Exception {
    try (HubProcess hub = HubProcess.run(Map.of("PUSHHUB_HTTP_PROT", "9000"))) {
      assertThat(hub.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
      await().until(() -> !hub.stderr().isEmpty());
      assertThat(hub.stderr()).singleElement().asString().startsWith("pushhub: unknown environment variable PUSHHUB_HTTP_PROT");
    }
  }

  @Test
  void aMalformedFileIsNamedByLineAndColumnOnOneLineAndExits2(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("broken.json"), "{\n  \"http\": {\"port\": 0},\n}\n");
    try (HubProcess hub = HubProcess.run("--config", config.toString())) {
      assertThat(hub.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
      await().until(() -> !hub.stderr().isEmpty());
      assertThat(hub.stderr()).containsExactly("pushhub: config file " + config + " is not valid JSON: line 3, column 1:"
        + " expected a key in double quotes (a comma too many, or a key without quotes?), found '}'");
    }
  }

  @Test
  void theTokenCommandSignsWithTheSecretFromTheEnvironment() throws Exception {
    try (HubProcess tool = HubProcess.run(Map.of("PUSHHUB_AUTH_HS256_SECRET", "s3cret-s3cret-s3cret-s3cret-s3cret"),
      "token", "--sub", "script")) {
      assertThat(tool.awaitExit(Duration.ofSeconds(30))).isZero();
      await().until(() -> !tool.stdout().isEmpty());
      assertThat(tool.stdout()).singleElement().asString().matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    }
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
      .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
