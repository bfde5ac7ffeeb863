package io.pushhub.http;

import io.pushhub.support.RawHttp;
import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** On a keep-alive connection, the next request's headers must arrive within the request timeout of its first byte. */
class HeaderDribbleTest {

  @Test
  void aDribbledHeadAfterAKeptAliveRequestGets408() throws Exception {
    try (TestHub hub = TestHub.start(new JsonObject().put("http", new JsonObject()
      .put("requestTimeoutSeconds", 1).put("idleTimeoutSeconds", 60)));
         RawHttp http = RawHttp.connect(hub.port(), 0)) {
      http.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
      await().until(() -> http.poll().contains("\"UP\""));
      String next = "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n";
      long started = System.nanoTime();
      int[] sent = {0};
      // One byte each 200 ms, as a slowloris client does, until the hub answers or closes.
      await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(200)).until(() -> {
        if (sent[0] < next.length()) {
          try {
            http.send(next.substring(sent[0], ++sent[0]));
          } catch (java.io.IOException closed) {
            // the hub closed it: what it sent before is read below
          }
        }
        return http.poll().endsWith("<EOF>");
      });
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
      String second = http.received().substring(http.received().indexOf("\"UP\"") + 5);
      assertThat(second).contains("HTTP/1.1 408").contains("\"error\":\"bad_request\"");
    }
  }

  @Test
  void aQuietKeptAliveConnectionStaysOpenPastTheRequestTimeout() throws Exception {
    try (TestHub hub = TestHub.start(new JsonObject().put("http", new JsonObject()
      .put("requestTimeoutSeconds", 1).put("idleTimeoutSeconds", 60)));
         RawHttp http = RawHttp.connect(hub.port(), 0)) {
      http.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
      await().until(() -> http.poll().contains("\"UP\""));
      // Quiet for three request timeouts: still open, and it serves the next request.
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> !http.poll().endsWith("<EOF>"));
      http.send("GET /health/ready HTTP/1.1\r\nHost: x\r\n\r\n");
      await().until(() -> http.poll().contains("\"checks\""));
    }
  }
}
