package io.pushhub;

import io.pushhub.support.HubProcess;
import io.pushhub.support.SseClient;
import io.pushhub.support.Await;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The jar as an operator runs it: flags, exit codes, SIGTERM drain. */
@Tag("process")
class HubProcessIT {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void unknownFlagFailsFastWithOneLineAndExitCode2() throws Exception {
    try (HubProcess hub = HubProcess.run("--frobnicate")) {
      assertThat(hub.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
      await().until(() -> !hub.stderr().isEmpty());
      assertThat(hub.stderr()).hasSize(1);
      assertThat(hub.stderr().get(0)).contains("--frobnicate");
    }
  }

  @Test
  void invalidConfigFailsFastWithExitCode2(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("bad.json"), "{\"sse\": {\"heartbeatSeconds\": -1}}");
    try (HubProcess hub = HubProcess.run("--config", config.toString())) {
      assertThat(hub.awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
      await().until(() -> !hub.stderr().isEmpty());
      assertThat(hub.stderr()).singleElement().asString().contains("sse.heartbeatSeconds");
    }
  }

  @Test
  void anIdleNodeStopsAtOnceAfterAScrape(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("hub.json"), "{\"http\": {\"port\": 0, \"drainSeconds\": 10}}");
    for (int run = 0; run < 3; run++) {
      try (HubProcess hub = HubProcess.run("--config", config.toString())) {
        int port = hub.awaitStarted();
        assertThat(get(port, "/metrics").statusCode()).isEqualTo(200);
        long signalled = System.nanoTime();
        hub.sigterm();
        assertThat(hub.awaitExit(Duration.ofSeconds(15))).isEqualTo(0);
        assertThat(Duration.ofNanos(System.nanoTime() - signalled)).as("run " + run).isLessThan(Duration.ofSeconds(2));
        assertThat(hub.stdout()).noneMatch(l -> l.contains("Exception") || l.contains("\"level\":\"ERROR\""));
        assertThat(hub.stderr()).noneMatch(l -> l.contains("Exception"));
      }
    }
  }

  @Test
  void sigtermDrainsStreamsSpreadOutThenExitsZero(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("hub.json"),
      "{\"http\": {\"port\": 0, \"instances\": 1, \"drainSeconds\": 2}}");
    Vertx vertx = Vertx.vertx();
    try (HubProcess hub = HubProcess.run("--config", config.toString())) {
      int port = hub.awaitStarted();
      assertThat(hub.stdout()).anyMatch(l -> l.contains("development mode"));
      assertThat(get(port, "/health/ready").statusCode()).isEqualTo(200);
      List<SseClient> streams = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        streams.add(SseClient.open(vertx, port, "/events?topic=drain/" + i));
      }
      long signalled = System.nanoTime();
      hub.sigterm();

      await().atMost(Duration.ofSeconds(2)).until(() -> get(port, "/health/ready").statusCode() == 503);
      HttpResponse<String> refused = get(port, "/events?topic=drain/new");
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.body()).contains("\"error\":\"draining\"");
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      // Spread over the drain period: not all gone at once.
      assertThat(streams.stream().filter(SseClient::ended).count()).isLessThan(20);

      assertThat(hub.awaitExit(Duration.ofSeconds(2 + 5))).isEqualTo(0);
      assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(7));
      await().until(() -> streams.stream().allMatch(SseClient::ended));
      await().until(() -> hub.stdout().stream().filter(l -> l.contains("stream closed")).count() == 20);
      assertThat(hub.stdout()).filteredOn(l -> l.contains("stream closed"))
        .allMatch(l -> l.contains("\"reason\":\"draining\""));
    } finally {
      Await.result(vertx.close());
    }
  }

  @Test
  void adminDrainClosesStreamsThenLeavesAndExitsZero(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("hub.json"),
      "{\"http\": {\"port\": 0, \"instances\": 1, \"drainSeconds\": 1}}");
    Vertx vertx = Vertx.vertx();
    try (HubProcess hub = HubProcess.run("--config", config.toString())) {
      int port = hub.awaitStarted();
      SseClient stream = SseClient.open(vertx, port, "/events?topic=drain/admin");
      String node = new io.vertx.core.json.JsonObject(get(port, "/admin/cluster").body())
        .getJsonArray("nodes").getJsonObject(0).getString("id");
      HttpResponse<String> asked = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/admin/nodes/" + node + "/drain"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(asked.statusCode()).isEqualTo(202);
      // Readiness and new streams during a drain: the SIGTERM test, the same drain.
      assertThat(hub.awaitExit(Duration.ofSeconds(1 + 5))).isEqualTo(0);
      await().until(stream::ended);
      assertThat(hub.stdout()).anyMatch(l -> l.contains("stream closed") && l.contains("\"reason\":\"draining\""));
      assertThat(hub.stdout()).anyMatch(l -> l.contains("\"message\":\"stopped"));
    } finally {
      Await.result(vertx.close());
    }
  }

  @Test
  void tokensNeverReachTheLogs(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("hub.json"),
      "{\"http\": {\"port\": 0, \"instances\": 1}, \"auth\": {\"hs256Secret\": \"s3cret-s3cret-s3cret-s3cret-s3cret\"}}");
    String token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2VjcmV0LXRva2VuLXZhbHVl";
    try (HubProcess hub = HubProcess.run("--config", config.toString())) {
      int port = hub.awaitStarted();
      assertThat(get(port, "/events?topic=t&access_token=" + token).statusCode()).isEqualTo(401);
      HttpResponse<String> header = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/publish"))
        .header("Authorization", "Bearer " + token).header("Cookie", "pushhub_token=" + token)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
      assertThat(header.statusCode()).isEqualTo(401);
      hub.sigterm();
      assertThat(hub.awaitExit(Duration.ofSeconds(15))).isZero();
      await().until(() -> hub.stdout().stream().anyMatch(l -> l.contains("stopped")));
      assertThat(String.join("\n", hub.stdout()) + String.join("\n", hub.stderr()))
        .doesNotContain(token).doesNotContain("c2VjcmV0LXRva2VuLXZhbHVl").doesNotContain("s3cret");
    }
  }

  @Test
  void tokenCommandPrintsOneTokenTheHubAccepts(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("hub.json"),
      "{\"http\": {\"port\": 0, \"instances\": 1}, \"auth\": {\"hs256Secret\": \"s3cret-s3cret-s3cret-s3cret-s3cret\"}}");
    String token;
    try (HubProcess tool = HubProcess.run("token", "--config", config.toString(), "--sub", "script",
      "--publish", "jobs/*", "--ttl", "120")) {
      assertThat(tool.awaitExit(Duration.ofSeconds(30))).isZero();
      await().until(() -> !tool.stdout().isEmpty());
      assertThat(tool.stdout()).singleElement().asString().matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
      token = tool.stdout().get(0);
    }
    try (HubProcess hub = HubProcess.run("--config", config.toString())) {
      int port = hub.awaitStarted();
      HttpResponse<String> published = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/publish")).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"topic\": \"jobs/1\", \"data\": 1}")).build(),
        HttpResponse.BodyHandlers.ofString());
      assertThat(published.statusCode()).isEqualTo(200);
    }
    try (HubProcess noKey = HubProcess.run("token", "--sub", "x")) {
      assertThat(noKey.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
      await().until(() -> !noKey.stderr().isEmpty());
      assertThat(noKey.stderr()).singleElement().asString().contains("no signing key");
    }
  }

  private HttpResponse<String> get(int port, String uri) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + uri)).timeout(Duration.ofSeconds(5))
      .build(), HttpResponse.BodyHandlers.ofString());
  }
}
