package io.pushhub.sse;

import io.pushhub.support.TestHub;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Thousands of streams opened and dropped leave nothing behind in the node's indexes. */
class LeakTest {

  private static final int CYCLES = 10_000;
  private static final int CONCURRENCY = 50;

  @Test
  void tenThousandConnectDisconnectCyclesLeaveNoSubscription() {
    try (TestHub hub = TestHub.start()) {
      Vertx clients = Vertx.vertx();
      HttpClient http = clients.createHttpClient(new HttpClientOptions().setKeepAlive(false),
        new PoolOptions().setHttp1MaxSize(CONCURRENCY));
      AtomicInteger started = new AtomicInteger();
      AtomicInteger opened = new AtomicInteger();
      Promise<Void> all = Promise.promise();
      for (int i = 0; i < CONCURRENCY; i++) {
        clients.runOnContext(v -> cycle(http, hub.port(), started, opened, all));
      }
      await().atMost(Duration.ofSeconds(120)).until(() -> all.future().isComplete());
      assertThat(opened.get()).isEqualTo(CYCLES);
      await().until(() -> hub.hub().openStreams() == 0 && hub.hub().subscriptions() == 0);
      await().until(() -> hub.hub().orderedTopics() == 0);
      clients.close();
    }
  }

  private static void cycle(HttpClient http, int port, AtomicInteger started, AtomicInteger opened, Promise<Void> all) {
    int n = started.getAndIncrement();
    if (n >= CYCLES) {
      if (n == CYCLES + CONCURRENCY - 1) {
        all.tryComplete();
      }
      return;
    }
    String uri = "/events?topic=leak/" + (n % 10) + "&topic=leak/all";
    http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI(uri))
      .compose(req -> req.send())
      .compose(resp -> {
        if (resp.statusCode() == 200) {
          opened.incrementAndGet();
        }
        // Drop the connection as a browser tab would.
        return resp.request().connection().close();
      })
      .recover(e -> Future.succeededFuture())
      .onComplete(v -> cycle(http, port, started, opened, all));
  }
}
