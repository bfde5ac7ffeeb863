package io.pushhub.http;

import io.pushhub.support.RawHttp;
import io.pushhub.support.SseClient;
import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What careless clients and caches see: Vary, Allow, HEAD, raw UTF-8 in URLs, strict JSON bodies. */
class CarelessClientsTest {

  private static TestHub hub;

  @BeforeAll
  static void start() {
    hub = TestHub.start(new JsonObject().put("cors", new JsonObject()
      .put("allowedOrigins", new JsonArray().add("https://app.example"))));
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  @Test
  void answersToAnOriginVaryOnIt() {
    for (String origin : new String[]{"https://app.example", "https://other.example"}) {
      TestHub.Answer answer = hub.send(hub.request("/health/live").header("Origin", origin));
      assertThat(answer.headers().allValues("Vary")).as(origin).anyMatch(v -> v.toLowerCase().contains("origin"));
    }
  }

  @Test
  void methodNotAllowedSaysWhichAre() {
    TestHub.Answer publish = hub.send(hub.request("/publish").DELETE());
    assertThat(publish.status()).isEqualTo(405);
    assertThat(publish.header("Allow")).isEqualTo("POST");
    TestHub.Answer events = hub.send(hub.request("/events?topic=a").POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(events.status()).isEqualTo(405);
    assertThat(events.header("Allow")).isEqualTo("GET");
  }

  @Test
  void headWorksOnHealthChecks() throws Exception {
    try (RawHttp http = RawHttp.connect(hub.port(), 0)) {
      http.send("HEAD /health/live HTTP/1.1\r\nHost: x\r\n\r\nHEAD /health/ready HTTP/1.1\r\nHost: x\r\n\r\n"
        + "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
      await().until(() -> http.poll().contains("\"UP\"}"));
      String text = http.received();
      assertThat(text).startsWith("HTTP/1.1 200");
      assertThat(text.split("HTTP/1.1 200", -1)).hasSize(4);
      // Only the GET has a body.
      assertThat(text.split("\\{", -1)).hasSize(2);
    }
  }

  @Test
  void rawUtf8InTheQueryIsUtf8() throws Exception {
    try (RawHttp stream = RawHttp.connect(hub.port(), 0)) {
      stream.send(bytes("GET /events?topic=caf", new byte[]{(byte) 0xc3, (byte) 0xa9}, " HTTP/1.1\r\nHost: x\r\n\r\n"));
      await().until(() -> stream.poll().contains("retry:"));
      hub.publish("café", "au lait");
      await().until(() -> stream.poll().contains("data: au lait"));
    }
    String invalid = RawHttp.exchange("127.0.0.1", hub.port(),
      bytes("GET /events?topic=caf", new byte[]{(byte) 0xff}, " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    assertThat(invalid).startsWith("HTTP/1.1 400").contains("bad_request");
  }

  @Test
  void adminPathsAndParametersAreDecodedStrictly() {
    hub.publish("café", "x");
    assertThat(hub.get("/admin/topics/caf%C3%A9").json().getString("topic")).isEqualTo("café");
    assertThat(hub.get("/admin/topics/caf%ff").status()).isEqualTo(400);
    assertThat(hub.get("/admin/topics?prefix=%ff").status()).isEqualTo(400);
    assertThat(hub.get("/admin/topics?prefix=caf%C3%A9").json().getJsonArray("topics")).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/jsonx", "application/json-patch+json", "text/json", "application/json+x"})
  void onlyTheJsonMediaTypeIsJson(String type) {
    TestHub.Answer answer = hub.send(hub.request("/publish").header("Content-Type", type)
      .POST(HttpRequest.BodyPublishers.ofString("{\"topic\": \"a\", \"data\": \"x\"}")));
    assertThat(answer.status()).isEqualTo(400);
  }

  @Test
  void jsonParametersAreAllowed() {
    TestHub.Answer answer = hub.send(hub.request("/publish").header("Content-Type", "Application/JSON ; charset=utf-8")
      .POST(HttpRequest.BodyPublishers.ofString("{\"topic\": \"a\", \"data\": \"x\"}")));
    assertThat(answer.status()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{\"topic\": \"a\", /* note */ \"data\": \"x\"}",
    "{\"topic\": \"a\", \"data\": \"x\"} // note",
    "{\"topic\": \"a\", \"data\": 1e400}",
    "{\"topic\": \"a\", \"data\": [-1e400]}",
    "{\"topic\": \"a\", \"data\": \"x\", \"topic\": \"b\"}",
    "{\"topic\": \"a\", \"data\": \"x\"} {}",
    "{\"topic\": \"a\", \"data\": NaN}",
  })
  void bodiesThatAreNotStrictJsonAre400(String body) {
    TestHub.Answer answer = hub.post("/publish", body);
    assertThat(answer.status()).as(body).isEqualTo(400);
    assertThat(answer.json().getString("error")).isEqualTo("bad_request");
  }

  @Test
  void largeNumbersThatFitAreKeptAsSent() {
    try (SseClient stream = hub.subscribe("/events?topic=num")) {
      await().until(() -> stream.status() == 200);
      assertThat(hub.post("/publish", "{\"topic\": \"num\", \"data\": [1e300, 123456789012345678901234567890]}").status())
        .isEqualTo(200);
      await().until(() -> stream.data().size() == 1);
      assertThat(stream.data().get(0)).isEqualTo("[1.0E300,123456789012345678901234567890]");
    }
  }

  private static byte[] bytes(String head, byte[] raw, String tail) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(raw);
    out.writeBytes(tail.getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
