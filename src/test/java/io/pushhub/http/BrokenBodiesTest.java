package io.pushhub.http;

import io.pushhub.error.HubError;
import io.pushhub.support.LogCapture;
import io.pushhub.support.RawHttp;
import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Malformed chunks and clients gone mid-body: a clean 400 where possible, counted, never an ERROR line. */
class BrokenBodiesTest {

  private static final String PUBLISH = "POST /publish HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
  private static TestHub hub;

  @BeforeAll
  static void start() {
    hub = TestHub.start(new JsonObject().put("metrics", new JsonObject().put("port", -1).put("host", "127.0.0.1")));
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "Transfer-Encoding: chunked\r\n\r\nzz\r\n",
    "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"top\r\nnot-a-size\r\n",
    "Transfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n",
  })
  void aMalformedChunkIsA400WithoutAnErrorLine(String rest) throws Exception {
    try (LogCapture logs = new LogCapture()) {
      long before = hub.hub().rejected(HubError.BAD_REQUEST);
      String answer = RawHttp.exchange(hub.port(), PUBLISH + rest);
      assertThat(answer).startsWith("HTTP/1.1 400").contains("\"error\":\"bad_request\"").endsWith("<EOF>");
      assertThat(hub.hub().rejected(HubError.BAD_REQUEST)).isGreaterThan(before);
      assertThat(logs.errors()).isEmpty();
    }
  }

  @Test
  void aClientGoneMidBodyIsCountedWithoutAnErrorLine() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      for (String body : new String[]{"Content-Length: 100\r\n\r\n{\"topic\": ", "Transfer-Encoding: chunked\r\n\r\n20\r\n{\"to"}) {
        long before = hub.hub().rejected(HubError.BAD_REQUEST);
        RawHttp client = RawHttp.connect(hub.port(), 0).send(PUBLISH + body);
        await().until(() -> activeRequests() == 1); // the hub is reading its body
        client.close();
        await().until(() -> hub.hub().rejected(HubError.BAD_REQUEST) > before);
        await().until(() -> activeRequests() == 0);
      }
      assertThat(logs.errors()).isEmpty();
    }
  }

  private static double activeRequests() throws Exception {
    String text = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + hub.metricsPort() + "/metrics")).build(),
      java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    return java.util.Arrays.stream(text.split("\n")).filter(l -> l.startsWith("vertx_http_server_active_requests "))
      .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }
}
