package io.pushhub.http;

import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §5 over real HTTP. */
class CorsTest {

  private static HttpRequest.Builder preflight(TestHub hub, String origin) {
    return hub.request("/publish").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
      .header("Origin", origin).header("Access-Control-Request-Method", "POST")
      .header("Access-Control-Request-Headers", "Authorization, Content-Type");
  }

  @Test
  void exactOriginsWithCredentials() {
    try (TestHub hub = TestHub.start(new JsonObject().put("cors", new JsonObject()
      .put("allowedOrigins", new JsonArray().add("https://app.example")).put("maxAgeSeconds", 123)))) {
      TestHub.Answer ok = hub.send(preflight(hub, "https://app.example"));
      assertThat(ok.status()).isEqualTo(204);
      assertThat(ok.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
      assertThat(ok.header("Access-Control-Allow-Credentials")).isEqualTo("true");
      assertThat(ok.header("Access-Control-Allow-Methods")).contains("GET", "POST", "OPTIONS");
      assertThat(ok.header("Access-Control-Allow-Headers")).contains("Authorization", "Content-Type", "Last-Event-ID");
      assertThat(ok.header("Access-Control-Max-Age")).isEqualTo("123");

      TestHub.Answer simple = hub.send(hub.request("/health/live").header("Origin", "https://app.example").GET());
      assertThat(simple.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
      assertThat(simple.header("Access-Control-Expose-Headers")).contains("X-Request-Id", "Retry-After");

      TestHub.Answer denied = hub.send(preflight(hub, "https://evil.example"));
      assertThat(denied.status()).isEqualTo(403);
      assertThat(denied.header("Access-Control-Allow-Origin")).isNull();
      TestHub.Answer deniedSimple = hub.send(hub.request("/health/live").header("Origin", "https://evil.example").GET());
      assertThat(deniedSimple.header("Access-Control-Allow-Origin")).isNull();
    }
  }

  @Test
  void wildcardIsEchoedAsStarWithoutCredentials() {
    try (TestHub hub = TestHub.start(new JsonObject().put("cors", new JsonObject()
      .put("allowedOrigins", new JsonArray().add("*"))))) {
      TestHub.Answer ok = hub.send(preflight(hub, "https://anyone.example"));
      assertThat(ok.status()).isEqualTo(204);
      assertThat(ok.header("Access-Control-Allow-Origin")).isEqualTo("*");
      assertThat(ok.header("Access-Control-Allow-Credentials")).isNull();
    }
  }
}
