package io.pushhub.sse;

import io.pushhub.support.RawHttp;
import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The bytes of a stream over a plain socket: headers at once, {@code retry:} first, heartbeats, no gzip. */
class StreamHeadersTest {

  private static TestHub hub;

  @BeforeAll
  static void start() {
    hub = TestHub.start(new JsonObject().put("sse", new JsonObject().put("heartbeatSeconds", 1).put("retryMillis", 1234)));
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  private static String streamRequest(String extraHeaders) {
    return "GET /events?topic=raw/one HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n" + extraHeaders + "\r\n";
  }

  @Test
  void headersAndRetryAreFlushedBeforeAnyEvent() throws Exception {
    try (RawHttp raw = RawHttp.connect(hub.port(), 0)) {
      raw.send(streamRequest("Accept-Encoding: gzip, deflate, br\r\n"));
      await().atMost(Duration.ofSeconds(2)).until(() -> raw.poll().contains("retry: 1234\n\n"));
      String text = raw.received();
      String head = text.substring(0, text.indexOf("\r\n\r\n")).toLowerCase();
      assertThat(head).startsWith("http/1.1 200")
        .contains("content-type: text/event-stream; charset=utf-8")
        .contains("cache-control: no-cache")
        .contains("x-accel-buffering: no")
        .doesNotContain("content-length")
        .doesNotContain("content-encoding");
      String body = text.substring(text.indexOf("\r\n\r\n") + 4);
      // Chunked framing: the first chunk's payload starts with retry.
      assertThat(body.substring(body.indexOf("\r\n") + 2)).startsWith("retry: 1234\n");
    }
  }

  @Test
  void silentStreamGetsHeartbeatCommentsWithinHeartbeatPlusOneSecond() throws Exception {
    try (RawHttp raw = RawHttp.connect(hub.port(), 0)) {
      raw.send(streamRequest(""));
      await().atMost(Duration.ofSeconds(2)).until(() -> raw.poll().contains("retry:"));
      long start = System.nanoTime();
      int before = count(raw.received(), "\n:");
      await().atMost(Duration.ofMillis(2000)).pollInterval(Duration.ofMillis(20))
        .until(() -> count(raw.poll(), "\n:") > before);
      await().atMost(Duration.ofMillis(2000)).pollInterval(Duration.ofMillis(20))
        .until(() -> count(raw.poll(), "\n:") > before + 1);
      // Two heartbeats in at most (1 s + 1 s) each after the retry line.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }
  }

  @Test
  void eventsArriveAsWholeFramesWithoutCompression() throws Exception {
    try (RawHttp raw = RawHttp.connect(hub.port(), 0)) {
      raw.send(streamRequest("Accept-Encoding: gzip\r\n"));
      await().atMost(Duration.ofSeconds(2)).until(() -> raw.poll().contains("retry:"));
      String id = hub.publish("raw/one", "plain text payload").getString("id");
      await().atMost(Duration.ofSeconds(2)).until(() -> raw.poll().contains("data: plain text payload\n\n"));
      assertThat(raw.received()).contains("id: " + id + "\ndata: plain text payload\n\n");
    }
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
