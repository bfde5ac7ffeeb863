package io.pushhub.sse;

import io.pushhub.delivery.SliceScheduler;
import io.pushhub.client.SseEvent;
import io.pushhub.support.Await;
import io.pushhub.support.SseClient;
import io.pushhub.support.TestHub;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A burst of publishes, so that events queue on the instances and reach streams as runs written
 * whole: every stream, of one topic or of several, still gets the log's one order with its ids.
 */
class BurstDeliveryTest {

  private static final int EVENTS = 3000;

  @Test
  void burstsReachEveryStreamWholeAndInOrder() {
    try (TestHub hub = TestHub.start()) {
      List<SseClient> single = IntStream.range(0, 10).mapToObj(i -> hub.subscribe("/events?topic=burst/x")).toList();
      List<SseClient> multi = IntStream.range(0, 2).mapToObj(i -> hub.subscribe("/events?topic=burst/x&topic=burst/y"))
        .toList();
      await().until(() -> hub.hub().openStreams() == 12);

      Promise<List<String>> ids = Promise.promise();
      hub.vertx().runOnContext(v -> {
        List<Future<String>> replies = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
          replies.add(hub.vertx().eventBus().<JsonObject>request("pushhub.publish",
            new JsonObject().put("topic", "burst/x").put("data", Integer.toString(i))).map(m -> m.body().getString("id")));
        }
        Future.all(replies).map(all -> all.<String>list()).onComplete(ids);
      });
      List<String> acknowledged = Await.result(ids.future());

      List<SseClient> all = new ArrayList<>(single);
      all.addAll(multi);
      for (SseClient client : all) {
        await().atMost(Duration.ofSeconds(30)).until(() -> client.data().size() >= EVENTS);
      }
      List<SseEvent> reference = single.get(0).events();
      assertThat(reference.stream().map(SseEvent::data))
        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, EVENTS).mapToObj(Integer::toString).toList());
      assertThat(reference.stream().map(SseEvent::id)).containsExactlyInAnyOrderElementsOf(acknowledged);
      for (SseClient client : single) {
        assertThat(client.events()).isEqualTo(reference);
      }
      for (SseClient client : multi) {
        assertThat(client.data()).isEqualTo(reference.stream().map(SseEvent::data).toList());
        assertThat(client.events()).extracting(SseEvent::id).doesNotHaveDuplicates();
      }
      all.forEach(SseClient::close);
    }
  }

  /** Each instance delivers to its streams in slices, with socket polls between: none may be left out. */
  @Test
  void eventsReachStreamsBeyondTheFirstSliceInOrder() {
    int streams = 5 * SliceScheduler.SLICE;
    int events = 20;
    try (TestHub hub = TestHub.start()) {
      List<SseClient> clients = IntStream.range(0, streams).mapToObj(i -> hub.subscribe("/events?topic=slices")).toList();
      await().atMost(Duration.ofSeconds(30)).until(() -> hub.hub().openStreams() == streams);

      for (int i = 0; i < events; i++) {
        hub.publish("slices", Integer.toString(i));
      }
      List<String> expected = IntStream.range(0, events).mapToObj(Integer::toString).toList();
      await().atMost(Duration.ofSeconds(30)).until(() -> clients.stream().allMatch(c -> c.data().size() >= events));
      for (SseClient client : clients) {
        assertThat(client.data()).isEqualTo(expected);
      }
      clients.forEach(SseClient::close);
    }
  }
}
