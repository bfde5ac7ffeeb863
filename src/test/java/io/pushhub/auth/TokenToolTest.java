package io.pushhub.auth;

import io.pushhub.config.ConfigException;
import io.pushhub.support.SseClient;
import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tokens printed by {@code pushhub token} are accepted by a hub with the matching key, with exactly their rights. */
class TokenToolTest {

  @Test
  void hs256FromTheConfigFile(@TempDir Path dir) throws Exception {
    JsonObject auth = new JsonObject().put("hs256Secret", "a-long-enough-development-secret").put("issuer", "me");
    Path config = Files.writeString(dir.resolve("hub.json"), new JsonObject().put("auth", auth).encode());
    try (TestHub hub = TestHub.start(new JsonObject().put("auth", auth))) {
      String token = TokenTool.sign(hub.vertx(), TokenTool.parse(new String[]{"--config", config.toString(),
        "--sub", "tool", "--subscribe", "news/**", "--publish", "news/*", "--ttl", "60"}));
      try (SseClient stream = hub.subscribe("/events?topic=news/a/b&access_token=" + token)) {
        assertThat(stream.status()).isEqualTo(200);
      }
      assertThat(publish(hub, token, "news/a").status()).isEqualTo(200);
      assertThat(publish(hub, token, "news/a/b").status()).isEqualTo(403);
      assertThat(hub.send(hub.request("/admin/cluster").header("Authorization", "Bearer " + token).GET()).status())
        .isEqualTo(403);
    }
  }

  @Test
  void rs256AndEs256FromPrivateKeyFiles(@TempDir Path dir) throws Exception {
    try (TestHub keysOnly = TestHub.start()) {
      Tokens keys = new Tokens(keysOnly.vertx());
      Path rsa = Files.writeString(dir.resolve("rsa.pem"), Tokens.pem("PRIVATE KEY", keys.rsa.getPrivate().getEncoded()));
      Path ec = Files.writeString(dir.resolve("ec.pem"), Tokens.pem("PRIVATE KEY", keys.ec.getPrivate().getEncoded()));
      JsonObject auth = new JsonObject().put("publicKeys", new JsonArray()
        .add(Tokens.pem("PUBLIC KEY", keys.rsa.getPublic().getEncoded()))
        .add(Tokens.pem("PUBLIC KEY", keys.ec.getPublic().getEncoded())));
      try (TestHub hub = TestHub.start(new JsonObject().put("auth", auth))) {
        for (Path key : new Path[]{rsa, ec}) {
          TokenTool.Request request = TokenTool.parse(new String[]{"--key", key.toString(), "--sub", "ops", "--admin"});
          assertThat(request.algorithm()).isEqualTo(key == rsa ? "RS256" : "ES256");
          String token = TokenTool.sign(hub.vertx(), request);
          assertThat(hub.send(hub.request("/admin/cluster").header("Authorization", "Bearer " + token).GET())
            .status()).isEqualTo(200);
        }
      }
    }
  }

  @Test
  void badArgumentsAreOneLineErrors(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> TokenTool.parse(new String[]{"--publish", "a"})).isInstanceOf(ConfigException.class)
      .hasMessageContaining("--sub is required");
    assertThatThrownBy(() -> TokenTool.parse(new String[]{"--sub", "x"})).hasMessageContaining("no signing key");
    assertThatThrownBy(() -> TokenTool.parse(new String[]{"--sub", "x", "--ttl", "-5"})).hasMessageContaining("--ttl");
    assertThatThrownBy(() -> TokenTool.parse(new String[]{"--sub", "x", "--what"})).hasMessageContaining("--what");
    Path notAKey = Files.writeString(dir.resolve("k.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    assertThatThrownBy(() -> TokenTool.parse(new String[]{"--sub", "x", "--key", notAKey.toString()}))
      .hasMessageContaining("PKCS#8");
  }

  private static TestHub.Answer publish(TestHub hub, String token, String topic) {
    return hub.send(hub.request("/publish").header("Authorization", "Bearer " + token)
      .header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("topic", topic).put("data", "x").encode())));
  }
}
