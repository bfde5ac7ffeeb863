package io.pushhub.sse;

import io.pushhub.client.SseEvent;
import io.pushhub.client.SseDecoder;
import io.pushhub.support.SseClient;
import io.pushhub.support.TestHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ResumeTest {

  private static TestHub hub;

  @BeforeAll
  static void start() {
    hub = TestHub.start();
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  @Test
  void resumesWithExactlyTheMissedEventsThenLive() {
    String lastId;
    try (SseClient first = hub.subscribe("/events?topic=resume/a")) {
      hub.publish("resume/a", "before");
      await().until(() -> first.data().equals(List.of("before")));
      lastId = first.lastEventId();
    }
    List<String> missed = IntStream.range(0, 50).mapToObj(i -> "missed-" + i).toList();
    List<String> ids = new ArrayList<>();
    missed.forEach(data -> ids.add(hub.publish("resume/a", data).getString("id")));

    try (SseClient second = hub.subscribe("/events?topic=resume/a", lastId)) {
      await().until(() -> second.eventCount() == 50);
      hub.publish("resume/a", "live");
      await().until(() -> second.eventCount() == 51);
      List<String> expected = new ArrayList<>(missed);
      expected.add("live");
      assertThat(second.data()).containsExactlyElementsOf(expected);
      assertThat(second.events().subList(0, 50)).extracting(SseEvent::id).containsExactlyElementsOf(ids);
    }
  }

  @Test
  void lastEventIdQueryParameterWorksLikeTheHeader() {
    String id = hub.publish("resume/query", "one").getString("id");
    hub.publish("resume/query", "two");
    try (SseClient client = hub.subscribe("/events?topic=resume/query&lastEventId=" + id)) {
      await().until(() -> client.data().equals(List.of("two")));
    }
  }

  @Test
  void streamThatSawNoEventStillResumesExactly() {
    String idBeforeAnyEvent;
    try (SseClient quiet = hub.subscribe("/events?topic=resume/quiet")) {
      await().until(() -> !quiet.lastEventId().isEmpty());
      idBeforeAnyEvent = quiet.lastEventId();
      assertThat(quiet.eventCount()).isZero();
    }
    hub.publish("resume/quiet", "while away");
    try (SseClient back = hub.subscribe("/events?topic=resume/quiet", idBeforeAnyEvent)) {
      await().until(() -> back.data().equals(List.of("while away")));
    }
  }

  @Test
  void oneCursorResumesEveryTopicOfTheStream() {
    String cursor;
    try (SseClient client = hub.subscribe("/events?topic=multi/a&topic=multi/b&topic=multi/c")) {
      hub.publish("multi/a", "a1");
      hub.publish("multi/b", "b1");
      await().until(() -> client.eventCount() == 2);
      cursor = client.lastEventId();
    }
    hub.publish("multi/c", "c1");
    hub.publish("multi/a", "a2");
    hub.publish("multi/b", "b2");
    // Topics in another order, one added: the cursor still resumes a, b, c; d starts live.
    try (SseClient back = hub.subscribe("/events?topic=multi/d&topic=multi/c&topic=multi/b&topic=multi/a", cursor)) {
      await().until(() -> back.eventCount() == 3);
      assertThat(back.data()).containsExactlyInAnyOrder("a2", "b2", "c1");
      hub.publish("multi/d", "d1");
      await().until(() -> back.eventCount() == 4);
      assertThat(back.data()).last().isEqualTo("d1");
    }
  }

  @Test
  void resumingAtTheHeadSendsNothingTwice() {
    String id = hub.publish("resume/head", "only").getString("id");
    try (SseClient client = hub.subscribe("/events?topic=resume/head", id)) {
      hub.publish("resume/head", "next");
      await().atMost(Duration.ofSeconds(5)).until(() -> client.eventCount() == 1);
      assertThat(client.data()).containsExactly("next");
    }
  }

  @Test
  void resumeFarLargerThanTheSlowConsumerBoundArrivesWhole() {
    JsonObject small = new JsonObject().put("sse", new JsonObject().put("maxQueuedBytes", 64 * 1024))
      .put("replay", new JsonObject().put("maxEvents", 1000));
    try (TestHub tight = TestHub.start(small)) {
      String cursor;
      try (SseClient first = tight.subscribe("/events?topic=big/a&topic=big/b")) {
        await().until(() -> !first.lastEventId().isEmpty());
        cursor = first.lastEventId();
      }
      // 2 x 300 events of 4 KiB: 2.4 MB to replay, 37 times the bound on a stream's backlog.
      String payload = "x".repeat(4096);
      for (int i = 0; i < 300; i++) {
        tight.publish("big/a", "a" + i + payload);
        tight.publish("big/b", "b" + i + payload);
      }
      try (SseClient back = tight.subscribe("/events?topic=big/a&topic=big/b", cursor)) {
        await().until(() -> back.eventCount() == 600);
        tight.publish("big/a", "live");
        await().until(() -> back.eventCount() == 601);
        List<String> expected = new ArrayList<>();
        IntStream.range(0, 300).forEach(i -> expected.add("a" + i + payload));
        IntStream.range(0, 300).forEach(i -> expected.add("b" + i + payload));
        expected.add("live");
        assertThat(back.data()).containsExactlyElementsOf(expected);
        assertThat(back.ended()).isFalse();
      }
    }
  }
}
