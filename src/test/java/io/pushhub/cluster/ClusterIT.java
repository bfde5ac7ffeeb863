package io.pushhub.cluster;

import io.pushhub.client.SseEvent;
import io.pushhub.client.SseDecoder;
import io.pushhub.event.Cursor;
import io.pushhub.event.Position;
import io.pushhub.support.Await;
import io.pushhub.support.EventSourceClient;
import io.pushhub.support.HubCluster;
import io.pushhub.support.Nginx;
import io.pushhub.support.Teardown;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three hub processes on one Hazelcast cluster behind a real nginx running the shipped config.
 * The tests share the cluster and run in order: the failure tests take nodes away.
 */
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  @TempDir
  static Path dir;
  private static HubCluster cluster;
  private static Nginx nginx;
  private static Vertx vertx;
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void start() throws Exception {
    cluster = new HubCluster(dir, HubCluster.DRILL_CONFIG);
    cluster.start(3);
    nginx = Nginx.start(dir.resolve("nginx"), 20_000 + ThreadLocalRandom.current().nextInt(10_000), cluster.ports());
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Teardown.closeAll(vertx, nginx, cluster);
  }


  @Test
  @Order(1)
  void publishOnAnyNodeReachesSubscribersOnAll() throws Exception {
    List<EventSourceClient> subscribers = IntStream.range(0, 3)
      .mapToObj(i -> EventSourceClient.open(vertx, cluster.port(i), "/events?topic=c/fan", null)).toList();
    await().until(() -> subscribers.stream().allMatch(s -> !s.lastEventId().isEmpty()));
    for (int i = 0; i < 3; i++) {
      publish(List.of(cluster.port(i)), "c/fan", "from node " + i, null);
    }
    for (EventSourceClient s : subscribers) {
      await().until(() -> s.data().size() == 3);
      assertThat(s.data()).containsExactly("from node 0", "from node 1", "from node 2");
      s.close();
    }
  }

  @Test
  @Order(2)
  void adminAnswersClusterWideFromAnyNode() throws Exception {
    EventSourceClient onNode0 = EventSourceClient.open(vertx, cluster.port(0), "/events?topic=c/admin", null);
    await().until(() -> !onNode0.lastEventId().isEmpty());
    JsonObject view = new JsonObject(get(cluster.port(2), "/admin/cluster"));
    assertThat(view.getJsonArray("nodes")).hasSize(3);
    assertThat(view.getLong("connections")).isGreaterThanOrEqualTo(1);
    String id = new JsonObject(get(cluster.port(1), "/admin/connections?topic=c/admin"))
      .getJsonArray("connections").getJsonObject(0).getString("id");
    int closed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.port(2) + "/admin/connections/" + id))
      .DELETE().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    assertThat(closed).isEqualTo(204);
    await().until(() -> onNode0.connections() >= 2);
    onNode0.close();
  }

  /**
   * Interest routing: an event goes only to the nodes with a stream of its topic, and no longer to
   * a node once its last stream of the topic has closed.
   */
  @Test
  @Order(3)
  void eventsGoOnlyToTheNodesWhoseStreamsFollowTheirTopic() throws Exception {
    List<Integer> node0 = List.of(cluster.port(0));
    EventSourceClient follower = EventSourceClient.open(vertx, cluster.port(1), "/events?topic=c/routed", null);
    EventSourceClient marker = EventSourceClient.open(vertx, cluster.port(1), "/events?topic=c/marker", null);
    await().until(() -> !follower.lastEventId().isEmpty() && !marker.lastEventId().isEmpty());
    long[] before = receivedByNode();
    for (int i = 0; i < 20; i++) {
      publish(node0, "c/routed", "routed " + i, null);
      publish(node0, "c/unfollowed", "followed by none " + i, null);
    }
    await().until(() -> follower.data().size() == 20);
    long[] after = receivedByNode();
    assertThat(after[1] - before[1]).as("node 1: the events of its stream's topic").isEqualTo(20);
    assertThat(after[2] - before[2]).as("node 2: no stream, nothing").isZero();
    assertThat(after[0] - before[0]).as("node 0: publishes, is sent nothing").isZero();

    follower.close();
    // Node 0 sends to node 1 in order: when the marker has arrived, so has what went before it.
    await().until(() -> {
      long was = receivedByNode()[1];
      int markers = marker.data().size();
      publish(node0, "c/routed", "after the stream left", null);
      publish(node0, "c/marker", "marker", null);
      await().until(() -> marker.data().size() == markers + 1);
      return receivedByNode()[1] - was == 1;
    });
    marker.close();
  }

  /** Each node's count of events other nodes sent it. */
  private static long[] receivedByNode() throws Exception {
    long[] received = new long[3];
    for (int i = 0; i < 3; i++) {
      Matcher count = Pattern.compile("(?m)^pushhub_cluster_events_received_total(?:\\{[^}]*\\})? ([0-9.E]+)$")
        .matcher(get(cluster.port(i), "/metrics"));
      assertThat(count.find()).as("node %d exports the count", i).isTrue();
      received[i] = (long) Double.parseDouble(count.group(1));
    }
    return received;
  }

  private static String get(int port, String uri) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + uri)).build(),
      HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  @Order(4)
  void concurrentPublishersOnThreeNodesGiveEverySubscriberOneIdenticalSequence() throws Exception {
    List<EventSourceClient> subscribers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      subscribers.add(EventSourceClient.open(vertx, cluster.port(i % 3), "/events?topic=c/order", null));
    }
    await().until(() -> subscribers.stream().allMatch(s -> !s.lastEventId().isEmpty()));
    int perNode = 300;
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<?>> done = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      int node = n;
      done.add(pool.submit(() -> {
        for (int i = 0; i < perNode; i++) {
          publish(List.of(cluster.port(node)), "c/order", node + "-" + i, null);
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    List<SseEvent> reference = null;
    for (EventSourceClient s : subscribers) {
      await().atMost(Duration.ofSeconds(30)).until(() -> s.frames().size() >= 3 * perNode);
      List<SseEvent> frames = s.frames();
      assertThat(frames).hasSize(3 * perNode);
      assertThat(frames.stream().map(f -> seq(f.id())).toList())
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 3 * perNode).boxed().toList());
      if (reference == null) {
        reference = frames;
      }
      assertThat(frames).containsExactlyElementsOf(reference);
      s.close();
    }
  }

  @Test
  @Order(5)
  void sigkillOfABusyNodeLosesNoAcknowledgedEvent() throws Exception {
    assertNothingLostWhile("c/kill", () -> cluster.node(0).sigkill(), List.of(cluster.port(1), cluster.port(2)));
  }

  @Test
  @Order(6)
  void sigtermDrainOfANodeLosesNothingAndTurnsItUnready() throws Exception {
    int draining = cluster.port(1);
    assertNothingLostWhile("c/drain", () -> {
      cluster.node(1).sigterm();
      await().atMost(Duration.ofSeconds(2)).until(() -> status(draining, "/health/ready") == 503);
    }, List.of(cluster.port(2)));
    assertThat(cluster.node(1).awaitExit(Duration.ofSeconds(3 + 5))).isZero();
  }

  @Test
  @Order(8)
  void nginxLogsPathsButNeverQueryStrings() throws Exception {
    await().until(() -> nginx.accessLog().contains("GET /events HTTP/1.1"));
    assertThat(nginx.accessLog()).doesNotContain("?").doesNotContain("topic=");
  }

  @Test
  @Order(7)
  void wholeClusterRestartGivesResyncNotSilence() throws Exception {
    int survivor = cluster.port(2);
    String cursor = publish(List.of(survivor), "c/restart", "before", null).getString("id");
    cluster.killAll();
    List<Integer> ports = cluster.start(2);
    publish(ports, "c/restart", "after", null);
    EventSourceClient client = EventSourceClient.open(vertx, ports.get(1), "/events?topic=c/restart", cursor);
    await().until(() -> client.frames().size() == 2);
    SseEvent resync = client.frames().get(0);
    assertThat(resync.event()).isEqualTo("resync");
    assertThat(new JsonObject(resync.data()).getString("reason")).isEqualTo("unknown-cursor");
    assertThat(client.data()).containsExactly("after");
    client.close();
  }

  /**
   * Streams through nginx that reconnect like EventSource; publishers that retry with their
   * idempotency key on another node; {@code failure} strikes mid-way. Every subscriber must end
   * with every acknowledged event, once, in the topic's order.
   */
  private static void assertNothingLostWhile(String topic, ThrowingRunnable failure, List<Integer> survivors)
    throws Exception {
    List<EventSourceClient> subscribers = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      subscribers.add(EventSourceClient.open(vertx, nginx.port(), "/events?topic=" + topic, null));
    }
    await().until(() -> subscribers.stream().allMatch(s -> !s.lastEventId().isEmpty()));
    List<Integer> targets = cluster.ports();
    Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    AtomicBoolean publishing = new AtomicBoolean(true);
    AtomicInteger counter = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<?>> done = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      done.add(pool.submit(() -> {
        while (publishing.get()) {
          String data = "e" + counter.incrementAndGet();
          JsonObject reply = publish(targets, topic, data, "key-" + data);
          acknowledged.put(data, seq(reply.getString("id")));
        }
        return null;
      }));
    }
    await().until(() -> acknowledged.size() > 200);
    failure.run();
    int atFailure = acknowledged.size();
    await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() > atFailure + 300);
    publishing.set(false);
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    long last = acknowledged.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    for (EventSourceClient s : subscribers) {
      await().atMost(Duration.ofSeconds(30)).until(() -> s.frames().size() >= last);
      List<SseEvent> frames = s.frames();
      assertThat(frames.stream().map(f -> seq(f.id())).toList()).as("positions received")
        .containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
      assertThat(frames.stream().map(SseEvent::data).toList()).as("acknowledged events received")
        .containsAll(acknowledged.keySet()).doesNotHaveDuplicates();
      s.close();
    }
    assertThat(subscribers.stream().mapToInt(EventSourceClient::connections).sum()).as("streams moved")
      .isGreaterThan(subscribers.size());
    for (int port : survivors) {
      assertThat(status(port, "/health/ready")).isEqualTo(200);
    }
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** Publishes to the first node that takes it, retrying on others (same key) as a careful publisher does. */
  private static JsonObject publish(List<Integer> ports, String topic, String data, String key) throws Exception {
    JsonObject body = new JsonObject().put("topic", topic).put("data", data);
    if (key != null) {
      body.put("id", key);
    }
    Exception last = null;
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ports.get((attempt + ThreadLocalRandom.current().nextInt(ports.size())) % ports.size());
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/publish"))
          .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return new JsonObject(response.body());
        }
        last = new IllegalStateException(response.statusCode() + " " + response.body());
      } catch (IOException e) {
        last = e;
      }
    }
    throw last;
  }

  private static int status(int port, String uri) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + uri)).timeout(Duration.ofSeconds(2))
        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static long seq(String cursor) {
    Map<Integer, Cursor.Entry> parsed = Cursor.parse(cursor);
    assertThat(parsed).hasSize(1);
    return parsed.values().iterator().next().position().seq();
  }
}
