package io.pushhub.http;

import io.pushhub.auth.TokenTool;
import io.pushhub.auth.Tokens;
import io.pushhub.support.LogCapture;
import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Seeded, bounded random requests over raw sockets to {@code /events} and {@code /publish}: every
 * answer is a status of the SPEC and, when a refusal, its JSON error; the hub stays healthy and
 * holds no stream afterwards. {@code -Dfuzz.seed=N -Dfuzz.cases=N} replays or widens a run.
 */
class FuzzTest {

  private static final long SEED = Long.getLong("fuzz.seed", 20_261_124L);
  private static final int CASES = Integer.getInteger("fuzz.cases", 400);
  private static final Set<Integer> SPEC_STATUSES = Set.of(200, 204, 400, 401, 403, 404, 405, 408, 413, 414, 429, 431);
  private static final String SECRET = "fuzz-secret-fuzz-secret-fuzz-secret";
  private static final List<String> FRAGMENTS = List.of("a", "b/c", "public/x", "news/**", "*", "**", "/", "//",
    "%00", "%0A", "%0D%0A", "%ff", "%C3", "%zz", "%", "%2F", "%E2%80%A8", "%F0%9F%98%80", "..", "%20", "+", "&", "=",
    "x".repeat(300), "\u00e9", "data:", "id:", "\\", "\"", "'", "<script>", "%7F", "%C2%85", "0", "-1", "9".repeat(30));

  private static TestHub hub;
  private static List<String> tokens;

  @BeforeAll
  static void start() throws Exception {
    hub = TestHub.start(new JsonObject()
      .put("auth", new JsonObject().put("hs256Secret", SECRET).put("anonymousTopics", new JsonArray().add("public/**")))
      .put("http", new JsonObject().put("requestTimeoutSeconds", 2)));
    String publisher = TokenTool.sign(hub.vertx(), new TokenTool.Request("fuzz", List.of("**"), List.of("**"), false,
      60, "HS256", SECRET, null, null));
    String reader = TokenTool.sign(hub.vertx(), new TokenTool.Request("fuzz", List.of("a", "b/*"), List.of(), false,
      60, "HS256", SECRET, null, null));
    Tokens signer = new Tokens(hub.vertx());
    JsonObject rights = new JsonObject().put("subscribe", new JsonArray().add("**")).put("publish", new JsonArray().add("**"))
      .put("admin", true);
    long exp = System.currentTimeMillis() / 1000 + 60;
    List<String> typed = new java.util.ArrayList<>();
    for (Object bad : new Object[]{"soon", null, true, new JsonObject(), new JsonArray(), 1e308, -1}) {
      typed.add(signer.hs256(SECRET, Tokens.claims("f", exp, rights).put("exp", bad)));
      typed.add(signer.hs256(SECRET, Tokens.claims("f", exp, rights).put("nbf", bad)));
      typed.add(signer.hs256(SECRET, Tokens.claims("f", exp, rights).put("iat", bad)));
      typed.add(signer.hs256(SECRET, Tokens.claims("f", exp, rights).put("aud", bad)));
      typed.add(signer.hs256(SECRET, Tokens.claims("f", exp, rights).put("iss", bad)));
    }
    tokens = new java.util.ArrayList<>(List.of(publisher, reader, publisher.substring(0, publisher.length() - 3) + "abc",
      "not.a.token", "", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "\u0000"));
    tokens.addAll(typed);
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  @Test
  void everyAnswerIsASpecStatusWithAJsonError() throws Exception {
    Random random = new Random(SEED);
    LogCapture logs = new LogCapture();
    for (int i = 0; i < CASES; i++) {
      byte[] request = randomRequest(random);
      String label = "seed " + SEED + " case " + i + ": " + printable(request);
      Response response;
      long started = System.nanoTime();
      try {
        response = exchange(request);
      } catch (IOException e) {
        java.nio.file.Files.write(java.nio.file.Path.of("target", "fuzz-failure.bin"), request);
        throw new AssertionError(label + " -> " + e, e);
      }
      assertThat(response.status).as(label).isIn(SPEC_STATUSES);
      if (response.status >= 400 && response.hasBody) {
        assertThat(response.headers).as(label).containsIgnoringCase("content-type: application/json");
        JsonObject error = new JsonObject(response.body);
        assertThat(error.getValue("error")).as(label).isInstanceOf(String.class);
        assertThat(error.getValue("message")).as(label).isInstanceOf(String.class);
      }
      if (response.status == 401) {
        assertThat(response.headers).as(label).containsIgnoringCase("www-authenticate: bearer");
      }
      if (!response.stream) {
        // Answered and closed within the request timeout (2 s) and slack for a shared machine, never left open.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as(label).isLessThan(Duration.ofSeconds(6));
      }
    }
    logs.close();
    assertThat(logs.errors()).as("ERROR lines").isEmpty();
    assertThat(hub.get("/health/ready").status()).isEqualTo(200);
    await().until(() -> hub.hub().openStreams() == 0);
    String metrics = hub.get("/metrics").body();
    assertThat(metrics).doesNotContain("method=\"M");
    assertThat(metrics.lines().filter(l -> l.startsWith("vertx_http_server_")).count()).as("HTTP series").isLessThan(400);
    await().until(() -> hub.get("/metrics").body().lines().filter(l -> l.startsWith("vertx_http_server_active_requests"))
      .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum() == 1.0); // the scrape itself
  }

  private static byte[] randomRequest(Random random) {
    String method = pick(random, List.of("GET", "GET", "GET", "POST", "POST", "POST", "PUT", "DELETE", "OPTIONS", "HEAD",
      "M" + random.nextInt(100_000), "PATCH", "get"));
    String version = random.nextInt(8) != 0 ? "HTTP/1.1" : pick(random, List.of("HTTP/1.0", "HTTP/1.2", "HTTP/2.0", "HTTP/0.9"));
    String path = pick(random, List.of("/events", "/events", "/publish", "/publish", "/events/", "/publish/x"));
    StringBuilder query = new StringBuilder();
    int params = random.nextInt(5);
    for (int p = 0; p < params; p++) {
      query.append(p == 0 ? '?' : '&')
        .append(pick(random, List.of("topic", "topic", "topic", "access_token", "lastEventId", "x", "", "topic[]")))
        .append(random.nextInt(6) == 0 ? "" : "=")
        .append(random.nextInt(4) == 0 ? pick(random, tokens) : fragments(random));
    }
    StringBuilder head = new StringBuilder(method).append(' ').append(path).append(query.toString().replace(" ", "%20"))
      .append(' ').append(version).append("\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    if (random.nextInt(5) == 0) {
      head.append(pick(random, List.of("Transfer-Encoding: chunked", "Transfer-Encoding: chunked, identity",
        "Transfer-Encoding: xchunked", "Host: other.example", "X-Forwarded-For: 127.0.0.1", "Expect: 100-continue",
        "Origin: https://evil.example", "Content-Type: application/jsonx", "Accept-Encoding: gzip"))).append("\r\n");
    }
    if (random.nextInt(3) == 0) {
      head.append("Authorization: ").append(pick(random, List.of("Bearer ", "Bearer  ", "Basic ", "bearer ", "")))
        .append(pick(random, tokens).replace("\u0000", "x")).append("\r\n");
    }
    if (random.nextInt(6) == 0) {
      head.append("Cookie: pushhub_token=").append(pick(random, tokens).replace("\u0000", "")).append("\r\n");
    }
    if (random.nextInt(4) == 0) {
      head.append("Last-Event-ID: ").append(pick(random, List.of("", "0", "garbage", "abc.1.2", "00000000.0.0_ffff.z.z",
        "x".repeat(2000), "\u00e9\u00e9"))).append("\r\n");
    }
    byte[] body = method.equals("POST") || random.nextInt(10) == 0 ? randomBody(random) : new byte[0];
    if (body.length > 0 || method.equals("POST")) {
      if (random.nextInt(5) != 0) {
        head.append("Content-Type: ").append(pick(random, List.of("application/json", "application/json; charset=utf-8",
          "text/plain", "multipart/form-data", "application/x-www-form-urlencoded"))).append("\r\n");
      }
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(body);
    return bytes.toByteArray();
  }

  private static byte[] randomBody(Random random) {
    switch (random.nextInt(6)) {
      case 0 -> {
        byte[] junk = new byte[random.nextInt(200)];
        random.nextBytes(junk);
        return junk;
      }
      case 1 -> {
        return ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.US_ASCII);
      }
      case 2 -> {
        return "{\"topic\": \"a\", \"data\": \"".concat("x".repeat(70_000)).concat("\"}").getBytes(StandardCharsets.US_ASCII);
      }
      default -> {
        JsonObject event = new JsonObject();
        for (String field : List.of("topic", "data", "event", "id", "extra")) {
          if (random.nextInt(4) != 0) {
            event.put(field, randomValue(random));
          }
        }
        String text = event.encode();
        return (random.nextInt(5) == 0 ? text.substring(0, random.nextInt(text.length())) : text)
          .getBytes(StandardCharsets.UTF_8);
      }
    }
  }

  private static Object randomValue(Random random) {
    return switch (random.nextInt(7)) {
      case 0 -> null;
      case 1 -> random.nextInt();
      case 2 -> new JsonArray().add(fragments(random));
      case 3 -> new JsonObject().put("k", fragments(random));
      case 4 -> random.nextBoolean();
      default -> fragments(random);
    };
  }

  private static String fragments(Random random) {
    StringBuilder text = new StringBuilder();
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      text.append(pick(random, FRAGMENTS));
    }
    return text.toString();
  }

  private static <T> T pick(Random random, List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }

  private record Response(int status, String headers, String body, boolean hasBody, boolean stream) {
  }

  /** One request on its own connection; a stream's answer is read up to its headers, then dropped. */
  private static Response exchange(byte[] request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", hub.port()), 5000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request);
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int headEnd = -1;
      for (int n; (n = in.read(buffer)) >= 0; ) {
        received.write(buffer, 0, n);
        String text = received.toString(StandardCharsets.UTF_8);
        headEnd = text.indexOf("\r\n\r\n");
        if (headEnd >= 0 && text.toLowerCase().contains("content-type: text/event-stream")) {
          break;
        }
      }
      String text = received.toString(StandardCharsets.UTF_8);
      assertThat(headEnd).as("no complete answer: " + text).isPositive();
      String headers = text.substring(0, headEnd);
      int status = Integer.parseInt(headers.substring(headers.indexOf(' ') + 1, headers.indexOf(' ') + 4));
      String body = text.substring(headEnd + 4);
      boolean isHead = new String(request, 0, 4, StandardCharsets.US_ASCII).equals("HEAD");
      boolean stream = headers.toLowerCase().contains("content-type: text/event-stream");
      return new Response(status, headers, body, !isHead && !body.isEmpty() && !stream, stream);
    }
  }

  private static String printable(byte[] request) {
    String text = new String(request, StandardCharsets.UTF_8);
    return (text.length() > 3000 ? text.substring(0, 3000) + "..." : text).replace("\r\n", "\\r\\n");
  }
}
