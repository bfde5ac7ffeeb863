package io.pushhub.http;

import io.pushhub.auth.TokenTool;
import io.pushhub.config.ConfigException;
import io.pushhub.config.ConfigLoader;
import io.pushhub.support.RawHttp;
import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/** Development-mode loopback rule by socket peer only; X-Forwarded-For only from trusted proxies. */
class ForwardedForTest {

  private static final String SECRET = "forwarded-secret-forwarded-secret";

  @Test
  void developmentModeWithAProxyInFrontDoesNotStart() {
    JsonObject json = new JsonObject().put("http", new JsonObject().put("trustForwardedFor", true));
    assertThatThrownBy(() -> ConfigLoader.fromJson(json)).isInstanceOf(ConfigException.class)
      .hasMessageContaining("auth.hs256Secret");
    json.put("auth", new JsonObject().put("hs256Secret", SECRET));
    assertThat(ConfigLoader.fromJson(json).http().trustForwardedFor()).isTrue();
    assertThatThrownBy(() -> ConfigLoader.fromJson(json.copy().put("http", new JsonObject()
      .put("trustedProxies", new JsonArray().add("10.0.0.0/33"))))).isInstanceOf(ConfigException.class)
      .hasMessageContaining("http.trustedProxies");
  }

  @Test
  void developmentModeLoopbackIsTheSocketPeerNeverTheHeader() throws Exception {
    String address = RawHttp.nonLoopbackAddress();
    assumeThat(address).as("a non-loopback address on this machine").isNotNull();
    try (TestHub hub = TestHub.start(new JsonObject().put("http", new JsonObject().put("host", "0.0.0.0")))) {
      String publish = "POST /publish HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Forwarded-For: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\nContent-Length: 24\r\n\r\n{\"topic\":\"a\",\"data\":\"x\"}";
      String admin = "GET /admin/config HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Forwarded-For: 127.0.0.1\r\n\r\n";
      assertThat(RawHttp.exchange(address, hub.port(), bytes(publish))).startsWith("HTTP/1.1 403");
      assertThat(RawHttp.exchange(address, hub.port(), bytes(admin))).startsWith("HTTP/1.1 403");
      assertThat(RawHttp.exchange(hub.port(), publish)).startsWith("HTTP/1.1 200");
      assertThat(RawHttp.exchange(hub.port(), admin)).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void onlyHopsAddedByTrustedProxiesCount() throws Exception {
    JsonObject config = new JsonObject()
      .put("http", new JsonObject().put("trustForwardedFor", true)
        .put("trustedProxies", new JsonArray().add("127.0.0.0/8").add("203.0.113.0/24")))
      .put("auth", new JsonObject().put("hs256Secret", SECRET).put("anonymousTopics", new JsonArray().add("pub/**")));
    try (TestHub hub = TestHub.start(config)) {
      String admin = TokenTool.sign(hub.vertx(), new TokenTool.Request("ops", List.of(), List.of(), true, 60, "HS256",
        SECRET, null, null));
      // A spoofed left-most hop, the client, then a trusted proxy: the client is the right-most untrusted hop.
      assertThat(remoteOf(hub, admin, "127.0.0.1", "6.6.6.6, 198.51.100.7, 203.0.113.9")).isEqualTo("198.51.100.7");
      // Every hop trusted: the left-most one.
      assertThat(remoteOf(hub, admin, "127.0.0.1", "203.0.113.1, 203.0.113.9")).isEqualTo("203.0.113.1");
      // Garbage where a hop should be: the last trusted proxy's view.
      assertThat(remoteOf(hub, admin, "127.0.0.1", "nonsense, 203.0.113.9")).isEqualTo("203.0.113.9");
      String address = RawHttp.nonLoopbackAddress();
      if (address != null) {
        // A peer that is no trusted proxy: its header is ignored.
        assertThat(remoteOf(hub, admin, address, "198.51.100.7")).isEqualTo(InetAddress.getByName(address).getHostAddress());
      }
    }
  }

  private static String remoteOf(TestHub hub, String adminToken, String from, String forwardedFor) throws Exception {
    try (RawHttp stream = RawHttp.connect(from, hub.port())) {
      stream.send("GET /events?topic=pub/x HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: " + forwardedFor + "\r\n\r\n");
      await().until(() -> stream.poll().contains("retry:"));
      JsonArray connections = hub.send(hub.request("/admin/connections").header("Authorization", "Bearer " + adminToken))
        .json().getJsonArray("connections");
      assertThat(connections).hasSize(1);
      String remote = connections.getJsonObject(0).getString("remote");
      stream.close();
      await().until(() -> hub.hub().openStreams() == 0);
      return remote.substring(0, remote.lastIndexOf(':'));
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
