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
      assertThat(denied.json().getString("error")).isEqualTo("forbidden");
      assertThat(denied.header("Access-Control-Allow-Origin")).isNull();
      // Other requests of a disallowed origin are served, without CORS headers: the browser withholds them.
      TestHub.Answer deniedSimple = hub.send(hub.request("/health/live").header("Origin", "https://evil.example").GET());
      assertThat(deniedSimple.status()).isEqualTo(200);
      assertThat(deniedSimple.header("Access-Control-Allow-Origin")).isNull();
      assertThat(deniedSimple.header("Access-Control-Expose-Headers")).isNull();
      TestHub.Answer deniedPublish = hub.send(hub.request("/publish").header("Origin", "https://evil.example")
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"topic\": \"cors/t\", \"data\": \"x\"}")));
      assertThat(deniedPublish.status()).isEqualTo(200);
      assertThat(deniedPublish.header("Access-Control-Allow-Origin")).isNull();
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

  @Test
  void withNoAllowedOriginEveryPreflightIs403AndRequestsAreServedWithoutCorsHeaders() {
    try (TestHub hub = TestHub.start()) {
      TestHub.Answer denied = hub.send(preflight(hub, "https://app.example"));
      assertThat(denied.status()).isEqualTo(403);
      assertThat(denied.json().getString("error")).isEqualTo("forbidden");
      TestHub.Answer simple = hub.send(hub.request("/health/live").header("Origin", "https://app.example").GET());
      assertThat(simple.status()).isEqualTo(200);
      assertThat(simple.header("Access-Control-Allow-Origin")).isNull();
    }
  }
}
