package io.pushhub.http;

import io.pushhub.support.RawHttp;
import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request smuggling and malformed framing over raw sockets: each request is refused with a JSON
 * {@code 400}, the connection is closed, and a request appended after it is never served.
 */
class RequestFramingTest {

  private static final String SMUGGLED = "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n";
  private static final String BODY = "{\"topic\":\"a\",\"data\":\"x\"}";
  private static final String CHUNKED = Integer.toHexString(BODY.length()) + "\r\n" + BODY + "\r\n0\r\n\r\n";

  private static TestHub hub;

  @BeforeAll
  static void start() {
    hub = TestHub.start(new JsonObject());
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n",
    "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n",
    "Transfer-Encoding: chunked, identity\r\n",
    "Transfer-Encoding: xchunked\r\n",
    "Transfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\n",
    "Transfer-Encoding: gzip, chunked\r\n",
  })
  void ambiguousBodyFramingIsRefusedAndTheConnectionClosed(String framing) throws Exception {
    String answer = RawHttp.exchange(hub.port(), "POST /publish HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      + framing + "\r\n" + CHUNKED + SMUGGLED);
    assertRefusedAndClosed(answer);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "GET /health/live HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    "GET /health/live HTTP/1.2\r\nHost: x\r\n\r\n",
    "GET /health/live HTTP/2.0\r\nHost: x\r\n\r\n",
    "POST /publish HTTP/1.0\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
  })
  void badHostsAndVersionsGetAJsonError(String request) throws Exception {
    assertRefusedAndClosed(RawHttp.exchange(hub.port(), request + SMUGGLED));
  }

  private static void assertRefusedAndClosed(String answer) {
    assertThat(answer).startsWith("HTTP/1.").contains(" 400 ").contains("\"error\":\"bad_request\"").endsWith("<EOF>");
    assertThat(java.util.regex.Pattern.compile("(?m)^HTTP/1\\.\\d \\d{3} ").matcher(answer).results().count())
      .as("one answer only: " + answer).isEqualTo(1);
  }
}
