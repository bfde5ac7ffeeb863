package io.pushhub.client;

import io.pushhub.auth.TokenTool;
import io.pushhub.support.Await;
import io.pushhub.support.TestHub;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** PushhubSubscriber against a real hub, and against servers that misbehave on purpose. */
class SubscriberTest {

  private static final String SECRET = "subscriber-test-secret-subscriber-test";

  /** Records everything a subscriber reports. */
  static final class Recorder implements PushhubSubscriber.Listener {
    final List<SseEvent> events = new CopyOnWriteArrayList<>();
    final List<JsonObject> resyncs = new CopyOnWriteArrayList<>();
    final List<String> disconnects = new CopyOnWriteArrayList<>();
    final List<Long> delays = new CopyOnWriteArrayList<>();
    final AtomicInteger connects = new AtomicInteger();
    final AtomicInteger expiries = new AtomicInteger();
    volatile int stoppedWith;

    @Override
    public void event(SseEvent event) {
      events.add(event);
    }

    @Override
    public void resync(JsonObject details) {
      resyncs.add(details);
    }

    @Override
    public void expired() {
      expiries.incrementAndGet();
    }

    @Override
    public void connected() {
      connects.incrementAndGet();
    }

    @Override
    public void disconnected(String reason, long delayMillis) {
      disconnects.add(reason);
      delays.add(delayMillis);
    }

    @Override
    public void stopped(int status, String body) {
      stoppedWith = status;
    }

    List<String> data() {
      return events.stream().map(SseEvent::data).toList();
    }
  }

  @Test
  void receivesEventsAndResumesAfterTheConnectionDrops() {
    try (TestHub hub = TestHub.start()) {
      Recorder recorder = new Recorder();
      PushhubSubscriber subscriber = PushhubSubscriber.create(hub.vertx(),
        SubscriberOptions.of("http://127.0.0.1:" + hub.port(), "sub/a").withBackoff(10, 50), recorder).start();
      await().until(() -> hub.hub().openStreams() == 1);
      hub.publish("sub/a", "one");
      await().until(() -> recorder.data().equals(List.of("one")));

      // Kill the stream from the hub side; events published meanwhile arrive by replay, once.
      String connection = hub.get("/admin/connections").json().getJsonArray("connections").getJsonObject(0)
        .getString("id");
      assertThat(hub.send(hub.request("/admin/connections/" + connection).DELETE()).status()).isEqualTo(204);
      hub.publish("sub/a", "two");
      hub.publish("sub/a", "three");
      await().until(() -> recorder.data().size() >= 3 && recorder.connects.get() == 2);
      assertThat(recorder.data()).containsExactly("one", "two", "three");
      assertThat(subscriber.lastEventId()).isEqualTo(recorder.events.get(2).id());
      Await.result(subscriber.stop());
    }
  }

  @Test
  void unknownCursorIsReportedAsResync() {
    try (TestHub hub = TestHub.start()) {
      Recorder recorder = new Recorder();
      PushhubSubscriber subscriber = PushhubSubscriber.create(hub.vertx(),
        SubscriberOptions.of("http://127.0.0.1:" + hub.port(), "sub/r").resumingFrom("not-a-cursor"), recorder).start();
      await().until(() -> recorder.resyncs.size() == 1);
      assertThat(recorder.resyncs.get(0).getString("reason")).isEqualTo("unknown-cursor");
      hub.publish("sub/r", "live");
      await().until(() -> recorder.data().equals(List.of("live")));
      Await.result(subscriber.stop());
    }
  }

  @Test
  void stopsForGoodOn403() {
    try (TestHub hub = TestHub.start(new JsonObject().put("auth", new JsonObject().put("hs256Secret", SECRET)))) {
      String token = TokenTool.sign(hub.vertx(), new TokenTool.Request("s", List.of("other/*"), List.of(), false, 60,
        "HS256", SECRET, null, null));
      Recorder recorder = new Recorder();
      PushhubSubscriber subscriber = PushhubSubscriber.create(hub.vertx(),
        SubscriberOptions.of("http://127.0.0.1:" + hub.port(), "sub/forbidden").withBackoff(10, 20), recorder)
        .tokens(() -> Future.succeededFuture(token)).start();
      await().until(() -> subscriber.state() == PushhubSubscriber.State.STOPPED);
      assertThat(recorder.stoppedWith).isEqualTo(403);
      assertThat(recorder.disconnects).isEmpty();
      assertThat(recorder.connects).hasValue(0);
    }
  }

  @Test
  void expiredTokenIsReportedAndRenewed() {
    try (TestHub hub = TestHub.start(new JsonObject().put("auth", new JsonObject().put("hs256Secret", SECRET)))) {
      AtomicInteger issued = new AtomicInteger();
      Recorder recorder = new Recorder();
      PushhubSubscriber subscriber = PushhubSubscriber.create(hub.vertx(),
        SubscriberOptions.of("http://127.0.0.1:" + hub.port(), "sub/exp").withBackoff(10, 50), recorder)
        .tokens(() -> {
          // The first token lives 1 s; the renewed one an hour.
          long ttl = issued.getAndIncrement() == 0 ? 1 : 3600;
          return Future.succeededFuture(TokenTool.sign(hub.vertx(), new TokenTool.Request("s", List.of("sub/*"),
            List.of(), false, ttl, "HS256", SECRET, null, null)));
        }).start();
      await().atMost(Duration.ofSeconds(10)).until(() -> recorder.expiries.get() == 1 && recorder.connects.get() == 2);
      // Event-bus publishers are cluster members and need no token (SPEC §3).
      Await.result(PushhubPublisher.overEventBus(hub.vertx(), PublisherOptions.defaults())
        .publish("sub/exp", "after renewal"));
      await().until(() -> recorder.data().equals(List.of("after renewal")));
      Await.result(subscriber.stop());
    }
  }

  @Test
  void silentStreamIsDeadAfterTwoAndAHalfHeartbeats() {
    try (TestHub hub = TestHub.start()) {
      AtomicInteger requests = new AtomicInteger();
      // Answers like a stream, then never sends a byte: a proxy that lost its upstream.
      HttpServer silent = Await.result(hub.vertx().createHttpServer().requestHandler(request -> {
        requests.incrementAndGet();
        request.response().setChunked(true).putHeader("Content-Type", "text/event-stream").writeHead();
      }).listen(0, "127.0.0.1"));
      Recorder recorder = new Recorder();
      PushhubSubscriber subscriber = PushhubSubscriber.create(hub.vertx(),
        SubscriberOptions.of("http://127.0.0.1:" + silent.actualPort(), "t").withHeartbeatSeconds(1)
          .withBackoff(10, 20), recorder).start();
      await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() >= 2);
      assertThat(recorder.disconnects.get(0)).contains("no data nor heartbeat for 2500 ms");
      Await.result(subscriber.stop());
    }
  }

  @Test
  void retryAfterIsAFloorForTheNextAttempt() {
    try (TestHub hub = TestHub.start()) {
      AtomicInteger requests = new AtomicInteger();
      HttpServer busy = Await.result(hub.vertx().createHttpServer().requestHandler(request -> {
        requests.incrementAndGet();
        request.response().setStatusCode(503).putHeader("Retry-After", "1").putHeader("Content-Type", "application/json")
          .end("{\"error\":\"capacity\",\"message\":\"full\"}");
      }).listen(0, "127.0.0.1"));
      Recorder recorder = new Recorder();
      PushhubSubscriber subscriber = PushhubSubscriber.create(hub.vertx(),
        SubscriberOptions.of("http://127.0.0.1:" + busy.actualPort(), "t").withBackoff(10, 20), recorder).start();
      await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() >= 2);
      assertThat(recorder.delays.get(0)).isGreaterThanOrEqualTo(1000);
      assertThat(recorder.disconnects.get(0)).contains("503");
      Await.result(subscriber.stop());
    }
  }
}
