package io.pushhub.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

  @Test
  void defaultsAreTheSpecOnes() {
    HubConfig c = HubConfig.defaults();
    assertThat(c.http()).isEqualTo(new HubConfig.Http(8080, "0.0.0.0", 0, 10, false,
      new HubConfig.Tls(null, null), 16_384, 16_384, 120, 10, true, java.util.List.of()));
    assertThat(c.sse()).isEqualTo(new HubConfig.Sse(15, 3000, 32, 1_048_576));
    assertThat(c.replay()).isEqualTo(new HubConfig.Replay(1000, 300));
    assertThat(c.limits()).isEqualTo(new HubConfig.Limits(100_000, 100, 20, 1000, 65_536));
    assertThat(c.auth().developmentMode()).isTrue();
    assertThat(c.cors().allowCredentials()).isTrue();
    assertThat(c.cors().maxAgeSeconds()).isEqualTo(600);
    assertThat(c.cluster()).isEqualTo(new HubConfig.Cluster(false, "cluster-config/hazelcast.xml", null, null, 0, 0));
  }

  @Test
  void fileAndFlags(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("hub.json");
    Files.writeString(file, "{\"http\": {\"port\": 9000, \"drainSeconds\": 3}, \"replay\": {\"maxEvents\": 5}}");
    HubConfig c = ConfigLoader.fromArgs(new String[]{"--config", file.toString(), "--port", "9100"});
    assertThat(c.http().port()).isEqualTo(9100);
    assertThat(c.http().drainSeconds()).isEqualTo(3);
    assertThat(c.replay().maxEvents()).isEqualTo(5);
  }

  @Test
  void aLaterConfigFileIsMergedOverTheEarlierOne(@TempDir Path dir) throws Exception {
    Path base = dir.resolve("hub.json");
    Path keys = dir.resolve("auth.json");
    Files.writeString(base, "{\"http\": {\"drainSeconds\": 3}, \"auth\": {\"anonymousTopics\": [\"p/**\"]}}");
    Files.writeString(keys, "{\"auth\": {\"hs256Secret\": \"s3cret\"}}");
    HubConfig c = ConfigLoader.fromArgs(new String[]{"--config", base.toString(), "--config", keys.toString()});
    assertThat(c.http().drainSeconds()).isEqualTo(3);
    assertThat(c.auth().anonymousTopics()).containsExactly("p/**");
    assertThat(c.auth().hs256Secret()).isEqualTo("s3cret");
  }

  @Test
  void theKeysOfASecondFileLetAHubBehindAProxyStart(@TempDir Path dir) throws Exception {
    Path base = Files.writeString(dir.resolve("hub.json"),
      "{\"http\": {\"trustForwardedFor\": true, \"trustedProxies\": [\"10.0.0.0/8\"]}, \"replay\": {\"maxEvents\": 7}}");
    Path keys = Files.writeString(dir.resolve("auth.json"), "{\"auth\": {\"hs256Secret\": \"s3cret\"}}");
    Path noKey = Files.writeString(dir.resolve("none.json"), "{\"auth\": {\"hs256Secret\": null}}");
    assertThatThrownBy(() -> ConfigLoader.fromArgs(new String[]{"--config", base.toString()}, Map.of()))
      .isInstanceOf(ConfigException.class).hasMessageStartingWith("http.trustForwardedFor is on");
    HubConfig c = ConfigLoader.fromArgs(
      new String[]{"--config", base.toString(), "--config", keys.toString(), "--config", noKey.toString()},
      Map.of("PUSHHUB_REPLAY_MAX_EVENTS", "9"));
    assertThat(c.http().trustedProxies()).containsExactly("10.0.0.0/8");
    assertThat(c.auth().hs256Secret()).as("null in a later file leaves the key as it was").isEqualTo("s3cret");
    assertThat(c.replay().maxEvents()).as("the environment over every file").isEqualTo(9);
    assertThat(ConfigLoader.fromArgs(new String[0], Map.of("PUSHHUB_HTTP_TRUSTED_PROXIES", "127.0.0.1, fd00::/8"))
      .http().trustedProxies()).containsExactly("127.0.0.1", "fd00::/8");
    assertThatThrownBy(() -> ConfigLoader.fromArgs(new String[0], Map.of("PUSHHUB_HTTP_TRUSTED_PROXIES", "10.0.0.0/33")))
      .hasMessage("config key 'http.trustedProxies' must list addresses or address/prefix blocks, got 10.0.0.0/33"
        + " (from environment variable PUSHHUB_HTTP_TRUSTED_PROXIES)");
    assertThatThrownBy(() -> ConfigLoader.fromArgs(new String[0], Map.of("PUSHHUB_HTTP_TRUSTED_PROXIES", "lb.local")))
      .hasMessageContaining("got lb.local");
  }

  @Test
  void clusterFlags(@TempDir Path dir) throws Exception {
    assertThat(ConfigLoader.fromArgs(new String[]{"--cluster"}).cluster().enabled()).isTrue();
    Path xml = Files.writeString(dir.resolve("hz.xml"), "<hazelcast/>");
    HubConfig c = ConfigLoader.fromArgs(new String[]{"--cluster-config", xml.toString()});
    assertThat(c.cluster().enabled()).isTrue();
    assertThat(c.cluster().config()).isEqualTo(xml.toString());
  }

  @Test
  void badInputIsRejectedWithOneLine(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> ConfigLoader.fromArgs(new String[]{"--bogus"})).isInstanceOf(ConfigException.class)
      .hasMessageContaining("--bogus");
    assertThatThrownBy(() -> ConfigLoader.fromArgs(new String[]{"--port"})).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> ConfigLoader.fromArgs(new String[]{"--port", "70000"})).hasMessageContaining("--port");
    assertThatThrownBy(() -> ConfigLoader.fromArgs(new String[]{"--config", dir.resolve("none").toString()}))
      .hasMessageContaining("cannot read");
    Path broken = Files.writeString(dir.resolve("broken.json"), "{not json");
    assertThatThrownBy(() -> ConfigLoader.fromArgs(new String[]{"--config", broken.toString()}))
      .hasMessageContaining("is not valid JSON: line 1, column 2").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThatThrownBy(() -> ConfigLoader.fromJson(new JsonObject().put("http", new JsonObject().put("prot", 1))))
      .hasMessageContaining("unknown config key 'http.prot'");
    assertThatThrownBy(() -> ConfigLoader.fromJson(new JsonObject().put("sse", new JsonObject().put("heartbeatSeconds", "5"))))
      .hasMessageContaining("sse.heartbeatSeconds");
    assertThatThrownBy(() -> ConfigLoader.fromJson(new JsonObject().put("replay", new JsonObject().put("maxEvents", 0))))
      .hasMessageContaining("replay.maxEvents");
    assertThatThrownBy(() -> ConfigLoader.fromJson(new JsonObject().put("http", 5))).hasMessageContaining("'http'");
  }

  @Test
  void tlsNeedsBothReadableFiles(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----");
    JsonObject onlyCert = new JsonObject().put("http", new JsonObject().put("tls", new JsonObject()
      .put("certPath", cert.toString())));
    assertThatThrownBy(() -> ConfigLoader.fromJson(onlyCert)).hasMessageContaining("set both or neither");
    JsonObject missingKey = new JsonObject().put("http", new JsonObject().put("tls", new JsonObject()
      .put("certPath", cert.toString()).put("keyPath", dir.resolve("none.pem").toString())));
    assertThatThrownBy(() -> ConfigLoader.fromJson(missingKey)).hasMessageContaining("http.tls.keyPath")
      .hasMessageContaining("not readable");
  }

  @Test
  void secretsAreRedacted() {
    HubConfig c = ConfigLoader.fromJson(new JsonObject().put("auth", new JsonObject().put("hs256Secret", "s3cret")
      .put("publicKeys", new io.vertx.core.json.JsonArray().add("-----BEGIN PUBLIC KEY-----"))));
    String json = c.toRedactedJson().encode();
    assertThat(json).doesNotContain("s3cret").doesNotContain("BEGIN").contains("\"***\"");
  }
}
