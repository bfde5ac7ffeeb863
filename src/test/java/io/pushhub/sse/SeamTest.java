package io.pushhub.sse;

import io.pushhub.client.SseEvent;
import io.pushhub.client.SseDecoder;
import io.pushhub.support.TestHub;
import io.pushhub.event.Cursor;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The replay/live seam under fire: clients keep dropping and resuming their streams while events
 * are published concurrently from several connections (so on several event loops). Every client
 * must end with every event of its topics exactly once, in the topic's order.
 */
class SeamTest {

  private static final int CLIENTS = 20;
  private static final int EVENTS = 10_000;
  private static final List<String> TOPICS = List.of("seam/a", "seam/b");

  private static TestHub hub;

  @BeforeAll
  static void start() {
    hub = TestHub.start(new JsonObject().put("replay", new JsonObject().put("maxEvents", EVENTS)));
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  /** A client that reconnects with its last event id, as EventSource does, until told to stay. */
  private static final class ReconnectingClient {
    final List<String> topics;
    final List<SseEvent> frames = new ArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    final HttpClient http;
    final Vertx vertx;
    volatile String lastEventId = "";

    ReconnectingClient(Vertx vertx, List<String> topics) {
      this.vertx = vertx;
      this.topics = topics;
      this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    }

    void connect(AtomicBoolean keepReconnecting) {
      StringBuilder uri = new StringBuilder("/events?");
      topics.forEach(t -> uri.append("topic=").append(t).append('&'));
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(hub.port()).setURI(uri.toString());
      if (!lastEventId.isEmpty()) {
        options.putHeader("Last-Event-ID", lastEventId);
      }
      connections.incrementAndGet();
      http.request(options).compose(req -> req.send()).onSuccess(resp -> {
        SseDecoder parser = new SseDecoder(this::onFrame, c -> { }, lastEventId);
        resp.handler(buffer -> {
          parser.feed(buffer.getBytes());
          lastEventId = parser.lastEventId();
        });
        if (keepReconnecting.get()) {
          vertx.setTimer(ThreadLocalRandom.current().nextInt(5, 40), id -> {
            resp.request().connection().close();
            connect(keepReconnecting);
          });
        }
      }).onFailure(e -> vertx.setTimer(5, id -> connect(keepReconnecting)));
    }

    synchronized void onFrame(SseEvent frame) {
      frames.add(frame);
    }

    synchronized List<SseEvent> frames() {
      return List.copyOf(frames);
    }
  }

  @Test
  void everyClientGetsEveryEventOnceInOrderAcrossReconnects() throws Exception {
    Vertx clientVertx = Vertx.vertx();
    AtomicBoolean reconnecting = new AtomicBoolean(true);
    List<ReconnectingClient> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      clients.add(new ReconnectingClient(clientVertx, i % 2 == 0 ? TOPICS : List.of(TOPICS.get(i % 4 == 1 ? 0 : 1))));
    }
    clients.forEach(c -> c.connect(reconnecting));
    await().until(() -> clients.stream().allMatch(c -> !c.lastEventId.isEmpty()));

    // data -> position in its topic, from the publish replies.
    Map<String, Long> seqOf = new ConcurrentHashMap<>();
    ExecutorService publishers = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    AtomicInteger next = new AtomicInteger();
    for (int p = 0; p < 4; p++) {
      done.add(publishers.submit(() -> {
        for (int n = next.getAndIncrement(); n < EVENTS; n = next.getAndIncrement()) {
          String topic = TOPICS.get(n % 2);
          String data = topic + "#" + n;
          String id = hub.publish(topic, data).getString("id");
          seqOf.put(data, Cursor.parse(id).values().iterator().next().position().seq());
        }
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    publishers.shutdown();
    reconnecting.set(false);

    try {
      for (ReconnectingClient client : clients) {
        int expected = client.topics.size() * EVENTS / 2;
        await().atMost(Duration.ofSeconds(30)).until(() -> client.frames().size() >= expected);
        assertThat(client.connections.get()).isGreaterThan(2);
        for (String topic : client.topics) {
          List<Long> seqs = client.frames().stream().map(SseEvent::data).filter(d -> d.startsWith(topic + "#"))
            .map(seqOf::get).toList();
          assertThat(seqs).as("positions of %s received by a client", topic)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, EVENTS / 2).boxed().toList());
        }
        assertThat(client.frames()).hasSize(expected).allMatch(f -> f.event().equals("message"));
      }
    } finally {
      clientVertx.close();
    }
  }
}
