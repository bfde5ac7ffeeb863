package io.pushhub.http;

import io.pushhub.support.RawHttp;
import io.pushhub.support.SseClient;
import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Oversized and slow requests (SPEC limits, issue #4): each gets a 4xx JSON answer or a closed
 * connection in bounded time, never a 5xx, never a connection the hub keeps forever.
 */
class SlowAndHugeRequestsTest {

  private static TestHub hub;

  @BeforeAll
  static void start() {
    hub = TestHub.start(new JsonObject()
      .put("http", new JsonObject().put("requestTimeoutSeconds", 1).put("idleTimeoutSeconds", 3))
      .put("sse", new JsonObject().put("heartbeatSeconds", 1)));
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  @Test
  void hugeUrlIs414() throws Exception {
    String answer = exchange("GET /events?topic=" + "a".repeat(100 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(answer).matches("(?s)HTTP/1\\.[01] 414 .*\"error\":\"bad_request\".*<(EOF|RESET)>");
  }

  @Test
  void tenThousandTopicsAre414() throws Exception {
    String topics = IntStream.range(0, 10_000).mapToObj(i -> "topic=t/" + i).collect(Collectors.joining("&"));
    String answer = exchange("GET /events?" + topics + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(answer).matches("(?s)HTTP/1\\.[01] 414 .*\"error\":\"bad_request\".*");
  }

  @Test
  void megabyteHeaderIs431OrAClosedConnection() throws Exception {
    String request = "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(1024 * 1024) + "\r\n\r\n";
    try (Socket socket = connect()) {
      Thread writer = new Thread(() -> {
        try {
          socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException closedByHub) {
          // the hub stops reading after its cap and closes: expected
        }
      });
      writer.start();
      String answer = readAll(socket);
      writer.join(10_000);
      // The kernel may reset the socket before the 431 is read; either way no 5xx, and it is closed.
      assertThat(answer).satisfiesAnyOf(
        a -> assertThat(a).matches("(?s)HTTP/1\\.[01] 431 .*").contains("\"error\":\"bad_request\""),
        a -> assertThat(a).isIn("<EOF>", "<RESET>"));
    }
  }

  @Test
  void bodyThatNeverFinishesIs408AndClosed() throws Exception {
    String answer = exchange("POST /publish HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      + "Content-Length: 100\r\n\r\n{\"topic\": \"s/b\", ");
    assertThat(answer).startsWith("HTTP/1.1 408").contains("\"error\":\"bad_request\"").endsWith("<EOF>");
  }

  @Test
  void headersThatNeverFinishAre408AndClosed() throws Exception {
    assertThat(exchange("GET /health/live HTTP/1.1\r\nHost: x\r\n")).startsWith("HTTP/1.1 408")
      .contains("\"error\":\"bad_request\"").endsWith("<EOF>");
  }

  @Test
  void connectionThatSendsNothingIsClosed() throws Exception {
    assertThat(exchange("")).isEqualTo("<EOF>");
  }

  @Test
  void keepAliveConnectionsServeSeveralRequests() throws Exception {
    try (RawHttp raw = RawHttp.connect(hub.port(), 0)) {
      raw.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
      await().until(() -> raw.poll().contains("\"UP\"}"));
      raw.send("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      await().until(() -> raw.poll().endsWith("<EOF>"));
      assertThat(raw.received().split("HTTP/1.1 200", -1)).hasSize(3);
    }
  }

  @Test
  void streamsOutliveTheRequestAndIdleTimeouts() {
    try (SseClient stream = hub.subscribe("/events?topic=s/live")) {
      // Heartbeats every second for longer than both the 1 s request timeout and the 3 s idle timeout.
      await().atMost(Duration.ofSeconds(10)).until(() -> stream.comments() >= 5);
      assertThat(stream.ended()).isFalse();
      String id = hub.publish("s/live", "still here").getString("id");
      await().until(() -> stream.data().contains("still here"));
      assertThat(stream.lastEventId()).isEqualTo(id);
    }
  }

  @Test
  void halfClosedStreamIsReleased() throws Exception {
    int before = hub.hub().openStreams();
    try (Socket socket = connect()) {
      socket.getOutputStream().write("GET /events?topic=s/half HTTP/1.1\r\nHost: x\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
      await().until(() -> hub.hub().openStreams() == before + 1);
      socket.shutdownOutput();
      await().until(() -> hub.hub().openStreams() == before);
    }
  }

  private static Socket connect() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", hub.port()), 5000);
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** Sends {@code request} and reads until the hub closes; a read timeout (10 s) fails the test. */
  private static String exchange(String request) throws IOException {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return readAll(socket);
    }
  }

  private static String readAll(Socket socket) throws IOException {
    StringBuilder text = new StringBuilder();
    byte[] buffer = new byte[8192];
    InputStream in = socket.getInputStream();
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      }
      return text.append("<EOF>").toString();
    } catch (SocketException reset) {
      return text.append("<RESET>").toString();
    }
  }
}
