package io.pushhub.mercure;

import io.pushhub.client.SseEvent;
import io.pushhub.support.Await;
import io.pushhub.support.SseClient;
import io.pushhub.support.TestHub;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static io.pushhub.mercure.MercureEndpointTest.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A burst of Mercure publishes, so that updates queue on the instances and reach streams as runs:
 * every stream, whichever routes lead to it (its topic, an alternate, patterns, several at once),
 * gets each update it matches once, in the topic's one order.
 */
class MercureBurstTest {

  private static final int UPDATES = 600;

  @Test
  void burstsReachEveryStreamOnceInOrderWhateverItsRoutes() {
    // Development mode: anyone subscribes, loopback publishes.
    try (TestHub hub = TestHub.start(new JsonObject())) {
      List<SseClient> byName = IntStream.range(0, 4)
        .mapToObj(i -> hub.subscribe(query("burst/a"))).toList();
      SseClient byAlternate = hub.subscribe(query("burst/b"));
      SseClient everyWay = hub.subscribe(query("burst/a", "burst/b", "burst/{x}", "*"));
      SseClient byTemplate = hub.subscribe(query("burst/{x}"));
      await().atMost(Duration.ofSeconds(30)).until(() -> hub.hub().openStreams() == byName.size() + 3);

      HttpClient client = hub.vertx().createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(32));
      List<Future<Buffer>> replies = new ArrayList<>();
      for (int i = 0; i < UPDATES; i++) {
        String form = "topic=burst%2Fa" + (i % 3 == 0 ? "&topic=burst%2Fb" : "") + "&data=" + i;
        replies.add(client.request(HttpMethod.POST, hub.port(), "127.0.0.1", MercureEndpointTest.PATH)
          .compose(request -> request.putHeader("Content-Type", "application/x-www-form-urlencoded").send(form))
          .compose(response -> response.statusCode() == 200 ? response.body()
            : Future.failedFuture("status " + response.statusCode())));
      }
      Await.result(Future.all(replies));
      Await.result(client.close());

      List<SseClient> whole = new ArrayList<>(byName);
      whole.add(everyWay);
      whole.add(byTemplate);
      for (SseClient stream : whole) {
        await().atMost(Duration.ofSeconds(30)).until(() -> stream.eventCount() >= UPDATES);
      }
      List<SseEvent> reference = byName.get(0).events();
      assertThat(reference.stream().map(SseEvent::data))
        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, UPDATES).mapToObj(Integer::toString).toList());
      for (SseClient stream : whole) {
        assertThat(stream.events()).isEqualTo(reference);
      }
      List<SseEvent> alternates = reference.stream().filter(e -> Integer.parseInt(e.data()) % 3 == 0).toList();
      await().atMost(Duration.ofSeconds(30)).until(() -> byAlternate.eventCount() >= alternates.size());
      assertThat(byAlternate.events()).isEqualTo(alternates);
      whole.forEach(SseClient::close);
      byAlternate.close();
    }
  }
}
