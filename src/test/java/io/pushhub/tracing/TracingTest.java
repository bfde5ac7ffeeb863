package io.pushhub.tracing;

import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.pushhub.config.ConfigLoader;
import io.pushhub.config.HubConfig;
import io.pushhub.support.FaultyStore;
import io.pushhub.support.LogCapture;
import io.pushhub.support.SseClient;
import io.pushhub.support.TestHub;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One node: the spans of a publish over HTTP, the caller's trace and sampling, the trace id in logs, and tracing off. */
class TracingTest {

  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String PARENT_ID = "00f067aa0ba902b7";

  static HubConfig.Tracing on() {
    return ConfigLoader.fromJson(new JsonObject().put("tracing", new JsonObject().put("enabled", true))).tracing();
  }

  static String traceparent(String flags) {
    return "00-" + TRACE_ID + "-" + PARENT_ID + "-" + flags;
  }

  static SpanData named(List<SpanData> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).findFirst()
      .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
  }

  @Test
  void offByDefaultNoTracerIsInstalled() {
    assertThat(HubConfig.defaults().tracing().enabled()).isFalse();
    assertThat(Tracing.fromConfig(HubConfig.defaults().tracing())).isNull();
    try (TestHub hub = TestHub.start()) {
      assertThat(((VertxInternal) hub.vertx()).tracer()).isNull();
      TestHub.Answer answer = hub.send(hub.request("/publish").header("Content-Type", "application/json")
        .header("traceparent", traceparent("01"))
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"topic\": \"t/off\", \"data\": \"x\"}")));
      assertThat(answer.status()).isEqualTo(200);
    }
    Tracing tracing = Tracing.fromConfig(on());
    Vertx traced = Tracing.install(Vertx.builder(), tracing).build();
    try {
      assertThat(((VertxInternal) traced).tracer()).isNotNull();
    } finally {
      traced.close().await();
      tracing.close(1000);
    }
  }

  @Test
  void aPublishIsOneTraceUnderItsCallersTraceparent() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    Tracing tracing = Tracing.create(on(), SimpleSpanProcessor.create(exporter));
    AtomicReference<FaultyStore> faulty = new AtomicReference<>();
    try (TestHub hub = TestHub.start(new JsonObject(), (vertx, config, cluster, nodeId) -> {
      faulty.set(new FaultyStore(io.pushhub.StoreFactory.STANDARD.create(vertx, config, cluster, nodeId)));
      return faulty.get();
    }, tracing); SseClient subscriber = hub.subscribe("/events?topic=t/traced")) {
      await().until(() -> !subscriber.lastEventId().isEmpty());
      String cursor = publish(hub, "t/traced", traceparent("01")).json().getString("id");
      await().until(() -> subscriber.data().equals(List.of("x")));
      await().until(() -> exporter.getFinishedSpanItems().size() >= 3);
      List<SpanData> spans = exporter.getFinishedSpanItems();
      SpanData publish = named(spans, Spans.PUBLISH);
      assertThat(publish.getTraceId()).isEqualTo(TRACE_ID);
      assertThat(publish.getParentSpanId()).isEqualTo(PARENT_ID);
      assertThat(publish.getAttributes().get(Spans.TOPIC)).isEqualTo("t/traced");
      assertThat(publish.getAttributes().get(Spans.CURSOR)).isEqualTo(cursor);
      assertThat(named(spans, Spans.STORE).getParentSpanId()).isEqualTo(publish.getSpanId());
      SpanData fanout = named(spans, Spans.FANOUT);
      assertThat(fanout.getParentSpanId()).isEqualTo(publish.getSpanId());
      assertThat(fanout.getAttributes().get(Spans.INSTANCES)).isEqualTo(1L);
      assertThat(spans).allMatch(s -> s.getTraceId().equals(TRACE_ID));

      // A caller that did not sample its trace: nothing recorded, the event delivered all the same.
      exporter.reset();
      publish(hub, "t/traced", traceparent("00"));
      await().until(() -> subscriber.data().size() == 2);
      assertThat(exporter.getFinishedSpanItems()).isEmpty();

      // A failure of the store: its log line carries the trace id, the publish span the error.
      faulty.get().mode(FaultyStore.Mode.FAILING);
      try (LogCapture logs = new LogCapture()) {
        assertThat(publish(hub, "t/traced", traceparent("01")).status()).isEqualTo(503);
        await().until(() -> !logs.warningContexts().isEmpty());
        assertThat(logs.warningContexts().get(0)).containsEntry("trace_id", TRACE_ID);
      }
      SpanData failed = named(exporter.getFinishedSpanItems(), Spans.PUBLISH);
      assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(failed.getAttributes().get(Spans.ERROR_TYPE)).isEqualTo("unavailable");
    } finally {
      tracing.close(1000);
    }
  }

  static TestHub.Answer publish(TestHub hub, String topic, String traceparent) {
    return hub.send(hub.request("/publish").header("Content-Type", "application/json")
      .header("traceparent", traceparent)
      .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
        new JsonObject().put("topic", topic).put("data", "x").encode())));
  }
}
