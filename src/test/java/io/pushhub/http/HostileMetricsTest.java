package io.pushhub.http;

import io.pushhub.support.RawHttp;
import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Clients cannot grow /metrics, and the in-flight gauge returns to 0 after broken requests. */
class HostileMetricsTest {

  @Test
  void customMethodsCollapseIntoOneLabelValue() throws Exception {
    try (TestHub hub = TestHub.start(); RawHttp http = RawHttp.connect(hub.port(), 0)) {
      int before = series(scrape(hub.port()));
      StringBuilder requests = new StringBuilder();
      for (int i = 0; i < 300; i++) {
        requests.append("M").append(i).append(" /events HTTP/1.1\r\nHost: x\r\n\r\n");
      }
      http.send(requests.toString());
      await().until(() -> http.poll().split("HTTP/1.1 ", -1).length > 300);
      String text = scrape(hub.port());
      assertThat(text).doesNotContain("method=\"M").contains("method=\"OTHER\"");
      assertThat(series(text) - before).as("new series").isLessThan(40);
    }
  }

  @Test
  void activeRequestsReturnToZeroAfterBrokenRequests() throws Exception {
    JsonObject config = new JsonObject().put("http", new JsonObject().put("requestTimeoutSeconds", 1)
        .put("maxUrlBytes", 1024).put("maxHeaderBytes", 1024))
      .put("limits", new JsonObject().put("maxEventBytes", 16))
      .put("metrics", new JsonObject().put("port", -1).put("host", "127.0.0.1"));
    try (TestHub hub = TestHub.start(config)) {
      String publish = "POST /publish HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
      for (String request : new String[]{
        "GARBAGE\r\n\r\n",
        "GET /" + "x".repeat(2000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /events?topic=a HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(2000) + "\r\n\r\n",
        publish + "Content-Length: 100\r\n\r\n{\"topic\"",
        publish + "Content-Length: 100000\r\n\r\n" + "z".repeat(100_000),
        publish + "Transfer-Encoding: chunked\r\n\r\nzz\r\n",
        publish + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
        "GET /events HTTP/1.1\r\nHost: x\r\n\r\n",
      }) {
        assertThat(RawHttp.exchange(hub.port(), request)).startsWith("HTTP/1.");
      }
      RawHttp.connect(hub.port(), 0).send(publish + "Content-Length: 100\r\n\r\n{\"to").close();
      await().untilAsserted(() -> assertThat(activeRequests(scrape(hub.metricsPort()))).isZero());
      assertThat(scrape(hub.metricsPort())).contains("jvm_memory_used_bytes");
    }
  }

  private static int series(String text) {
    return (int) Arrays.stream(text.split("\n")).filter(l -> !l.startsWith("#")).count();
  }

  private static double activeRequests(String text) {
    return Arrays.stream(text.split("\n")).filter(l -> l.startsWith("vertx_http_server_active_requests"))
      .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  private static String scrape(int port) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
      URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
      HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
