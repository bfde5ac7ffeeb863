package io.pushhub.support;

import io.pushhub.client.SseEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fault struck at one node of a {@link HubCluster} behind nginx while a publisher and
 * EventSource-like subscribers go on through nginx: every acknowledged event must reach every
 * subscriber once and in order, and the node must be ready and listed again within 60 s of the
 * fault's end. Each subscriber's frames are kept under target/cluster-logs/ for whoever reads a failure.
 */
public final class FaultDrill {

  private static final int SUBSCRIBERS = 30;
  /** Publishes acknowledged after the fault heals before publishing stops. */
  private static final int AFTER_HEAL = 500;

  /** What strikes a node, and how it ends. */
  public interface Fault {
    void strike() throws Exception;

    void heal() throws Exception;
  }

  private final Vertx vertx;
  private final Nginx nginx;
  private final HubCluster cluster;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public FaultDrill(Vertx vertx, Nginx nginx, HubCluster cluster) {
    this.vertx = vertx;
    this.nginx = nginx;
    this.cluster = cluster;
  }

  /** Strikes node {@code node} with {@code fault} for {@code lasting} while {@code topic} is published and followed. */
  public void run(String topic, int node, Duration lasting, Fault fault) throws Exception {
    List<EventSourceClient> subscribers = new ArrayList<>();
    for (int i = 0; i < SUBSCRIBERS; i++) {
      subscribers.add(EventSourceClient.open(vertx, nginx.port(), "/events?topic=" + topic, null));
    }
    await().until(() -> subscribers.stream().allMatch(s -> !s.lastEventId().isEmpty()));
    // A node busy starting may miss one admin answer (listed with an error): ask again.
    await().untilAsserted(() -> assertThat(connectionsOn(node)).as("streams on the node struck").isPositive());

    List<Integer> acknowledged = new ArrayList<>();
    Map<String, Integer> refused = new ConcurrentSkipListMap<>();
    AtomicInteger next = new AtomicInteger();
    // Two threads: the fault's timing does not wait for a publish in flight.
    ScheduledExecutorService clock = Executors.newScheduledThreadPool(2);
    // The publisher's pace, as in a real feed: a publish 10 ms after the last one's answer.
    ScheduledFuture<?> publisher = clock.scheduleWithFixedDelay(() -> {
      int n = next.getAndIncrement();
      String refusal = publish(topic, n);
      if (refusal == null) {
        synchronized (acknowledged) {
          acknowledged.add(n);
        }
      } else {
        refused.merge(refusal, 1, Integer::sum);
      }
    }, 0, 10, TimeUnit.MILLISECONDS);
    long healedAt;
    int before;
    try {
      await().until(() -> count(acknowledged) >= 100);
      fault.strike();
      before = count(acknowledged);
      int survivor = (node + 1) % cluster.ports().size();
      // The fault lasts this long; halfway through, the admin API must still answer.
      ScheduledFuture<?> adminCheck = clock.schedule(() -> {
        assertAdminAnswers(survivor);
        return null;
      }, lasting.toMillis() / 2, TimeUnit.MILLISECONDS);
      ScheduledFuture<?> heal = clock.schedule(() -> {
        fault.heal();
        return null;
      }, lasting.toMillis(), TimeUnit.MILLISECONDS);
      adminCheck.get();
      heal.get();
      healedAt = System.nanoTime();
      int struckBefore = before;
      await().atMost(Duration.ofSeconds(60)).until(() -> count(acknowledged) >= struckBefore + AFTER_HEAL);
    } finally {
      publisher.cancel(false);
      clock.shutdown();
      clock.awaitTermination(10, TimeUnit.SECONDS);
    }

    List<Integer> sent;
    synchronized (acknowledged) {
      sent = List.copyOf(acknowledged);
    }
    Set<Integer> sentSet = new HashSet<>(sent);
    try {
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(subscribers)
        .allSatisfy(s -> assertThat(received(s)).as("received over %d connections, of %d acknowledged, refused %s: %s",
            s.connections(), sent.size(), refused, around(s, sentSet))
          .containsAll(sentSet)));
    } finally {
      keepForReaders(topic, subscribers, sent);
    }
    for (EventSourceClient s : subscribers) {
      List<Integer> got = received(s);
      assertThat(got).as("each event at most once").doesNotHaveDuplicates();
      assertThat(got.stream().filter(sentSet::contains).toList()).as("acknowledged, in order").isEqualTo(sent);
    }
    await().atMost(Duration.ofSeconds(60).minusNanos(System.nanoTime() - healedAt)).until(() -> ready(node));
    // The node that came back hands its publishes to every node again, quiet topic or not.
    int last = -1;
    await().until(() -> publishTo(node, topic, last) == 200);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(subscribers)
      .allSatisfy(s -> assertThat(received(s)).as("published on the node that came back").contains(last)));
    subscribers.forEach(EventSourceClient::close);
    JsonObject view = new JsonObject(get(cluster.host(0), cluster.port(0), "/admin/cluster"));
    assertThat(view.getJsonArray("nodes")).as("hub nodes listed").hasSize(cluster.ports().size());
  }

  /** Cluster-wide admin answers stay quick while membership changes, naming the nodes that did not answer. */
  private void assertAdminAnswers(int node) throws Exception {
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
        URI.create("http://" + cluster.host(node) + ":" + cluster.port(node) + "/admin/cluster"))
      .timeout(Duration.ofMillis(2_500)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as("/admin/cluster during the fault: %s", answer.body()).isEqualTo(200);
  }

  /** Publishes straight to node {@code node}; the status. */
  private int publishTo(int node, String topic, int n) throws Exception {
    return http.send(HttpRequest.newBuilder(
        URI.create("http://" + cluster.host(node) + ":" + cluster.port(node) + "/publish"))
      .timeout(Duration.ofSeconds(3))
      .header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(
        new JsonObject().put("topic", topic).put("data", Integer.toString(n)).encode()))
      .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Publishes through nginx; null when acknowledged, else what came back instead (status and error code, or the exception). */
  private String publish(String topic, int n) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + nginx.port() + "/publish"))
        .timeout(Duration.ofSeconds(3))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
          new JsonObject().put("topic", topic).put("data", Integer.toString(n)).encode()))
        .build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        return null;
      }
      String code = response.body().startsWith("{") ? new JsonObject(response.body()).getString("error", "") : "";
      return response.statusCode() + " " + code;
    } catch (Exception e) {
      return e.getClass().getSimpleName();
    }
  }

  private int connectionsOn(int node) throws Exception {
    JsonObject view = new JsonObject(get(cluster.host(0), cluster.port(0), "/admin/cluster"));
    return view.getJsonArray("nodes").stream().map(JsonObject.class::cast)
      .filter(n -> n.getString("httpAddress", "").endsWith(":" + cluster.port(node)))
      .mapToInt(n -> n.getInteger("connections")).sum();
  }

  private boolean ready(int node) {
    try {
      return http.send(HttpRequest.newBuilder(
          URI.create("http://" + cluster.host(node) + ":" + cluster.port(node) + "/health/ready"))
        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private String get(String host, int port, String uri) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + uri))
      .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The frames around the first acknowledged event a subscriber lacks. */
  private static String around(EventSourceClient client, Set<Integer> acknowledged) {
    List<Integer> got = received(client);
    int missing = acknowledged.stream().filter(n -> !got.contains(n)).min(Integer::compare).orElse(-1);
    StringBuilder text = new StringBuilder();
    for (SseEvent f : client.frames()) {
      if (!f.event().equals("message") || Math.abs(Integer.parseInt(f.data()) - missing) <= 4) {
        text.append(f.id()).append(' ').append(f.event()).append(' ').append(f.data()).append(" | ");
      }
    }
    return text.toString();
  }

  private void keepForReaders(String topic, List<EventSourceClient> subscribers, List<Integer> sent) {
    try {
      Path out = Path.of("target", "cluster-logs", cluster.env().get("PUSHHUB_CLUSTER_NAME"), topic.replace('/', '_'));
      Files.createDirectories(out);
      Files.write(out.resolve("acknowledged.txt"), sent.stream().map(String::valueOf).toList());
      for (int i = 0; i < subscribers.size(); i++) {
        Files.write(out.resolve("subscriber-" + i + ".txt"), subscribers.get(i).frames().stream()
          .map(f -> f.id() + " " + f.event() + " " + f.data()).toList());
      }
    } catch (IOException e) {
      // a convenience
    }
  }

  private static List<Integer> received(EventSourceClient client) {
    return client.data().stream().map(Integer::parseInt).toList();
  }

  private static int count(List<Integer> list) {
    synchronized (list) {
      return list.size();
    }
  }

}
