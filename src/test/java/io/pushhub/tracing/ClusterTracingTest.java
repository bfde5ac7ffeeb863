package io.pushhub.tracing;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.pushhub.Hub;
import io.pushhub.cluster.ClusterBroadcaster;
import io.pushhub.config.HubConfig;
import io.pushhub.support.Await;
import io.pushhub.support.InJvmCluster;
import io.pushhub.support.SseClient;
import io.opentelemetry.api.common.AttributeKey;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.pushhub.tracing.TracingTest.PARENT_ID;
import static io.pushhub.tracing.TracingTest.TRACE_ID;
import static io.pushhub.tracing.TracingTest.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two clustered nodes in one JVM, each with its own tracing SDK, both exporting to one in-memory
 * exporter: a publish on A with a {@code traceparent} is one trace down to the fan-out on B.
 */
class ClusterTracingTest {

  private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");

  @Test
  void onePublishIsOneTraceAcrossTwoNodes(@TempDir Path dir) throws Exception {
    HubConfig config = InJvmCluster.config(dir, new JsonObject().put("tracing", new JsonObject().put("enabled", true)));
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    List<Vertx> nodes = new ArrayList<>();
    List<Tracing> sdks = new ArrayList<>();
    try {
      Hub a = startNode(config, exporter, nodes, sdks);
      Hub b = startNode(config, exporter, nodes, sdks);
      try (SseClient subscriber = SseClient.open(nodes.get(1), b.port(), "/events?topic=traced/t")) {
        await().until(() -> !subscriber.lastEventId().isEmpty());
        exporter.reset();
        HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + a.port() + "/publish"))
          .header("Content-Type", "application/json").header("traceparent", TracingTest.traceparent("01"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"topic\": \"traced/t\", \"data\": \"from A\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
        assertThat(reply.statusCode()).isEqualTo(200);
        await().until(() -> subscriber.data().equals(List.of("from A")));
        await().until(() -> exporter.getFinishedSpanItems().stream().anyMatch(s -> s.getName().equals(Spans.FANOUT)));

        List<SpanData> spans = exporter.getFinishedSpanItems();
        SpanData publish = named(spans, Spans.PUBLISH);
        assertThat(publish.getParentSpanId()).isEqualTo(PARENT_ID);
        assertThat(publish.getAttributes().get(Spans.NODE)).isEqualTo(a.nodeId());
        assertThat(named(spans, Spans.STORE).getParentSpanId()).isEqualTo(publish.getSpanId());
        // The hop: Vert.x's span of sending the delivery message on A, and of receiving it on B
        // (B's SDK is another resource); A, which has no subscriber, is sent nothing.
        SpanData sent = hop(spans, SpanKind.CLIENT, publish.getSpanId());
        assertThat(sent.getName()).isEqualTo("send");
        SpanData fanout = named(spans, Spans.FANOUT);
        assertThat(fanout.getAttributes().get(Spans.NODE)).isEqualTo(b.nodeId());
        SpanData received = spans.stream().filter(s -> s.getSpanId().equals(fanout.getParentSpanId())).findFirst()
          .orElseThrow();
        assertThat(received).isEqualTo(hop(List.of(received), SpanKind.SERVER, sent.getSpanId()));
        assertThat(received.getResource()).isEqualTo(fanout.getResource()).isNotEqualTo(publish.getResource());
        assertThat(fanout.getAttributes().get(Spans.INSTANCES)).isEqualTo(1L);
        assertThat(spans).allMatch(s -> s.getTraceId().equals(TRACE_ID));
        // One delivery message per node, whatever the number of subscribers.
        assertThat(spans.stream().filter(s -> s.getKind() == SpanKind.CLIENT)).hasSize(1);

        // An event-bus publisher's trace context, in the request's headers, is followed the same way.
        exporter.reset();
        Await.result(nodes.get(0).eventBus().request("pushhub.publish",
          new JsonObject().put("topic", "traced/t").put("data", "over the bus"),
          new DeliveryOptions().addHeader("traceparent", TracingTest.traceparent("01"))));
        await().until(() -> subscriber.data().size() == 2);
        await().until(() -> exporter.getFinishedSpanItems().stream().anyMatch(s -> s.getName().equals(Spans.FANOUT)));
        assertThat(exporter.getFinishedSpanItems()).allMatch(s -> s.getTraceId().equals(TRACE_ID));
        assertThat(named(exporter.getFinishedSpanItems(), Spans.FANOUT).getAttributes().get(Spans.NODE))
          .isEqualTo(b.nodeId());
      }
    } finally {
      nodes.forEach(v -> Await.result(v.close()));
      sdks.forEach(sdk -> sdk.close(1000));
    }
  }

  /** Vert.x's span of the delivery message on {@code kind}'s side, a child of {@code parentId}. */
  private static SpanData hop(List<SpanData> spans, SpanKind kind, String parentId) {
    return spans.stream().filter(s -> s.getKind() == kind && s.getParentSpanId().equals(parentId)
        && String.valueOf(s.getAttributes().get(DESTINATION)).startsWith(ClusterBroadcaster.ADDRESS_PREFIX))
      .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " span under " + parentId + " in " + spans));
  }

  private static Hub startNode(HubConfig config, InMemorySpanExporter exporter, List<Vertx> nodes, List<Tracing> sdks) {
    Tracing tracing = Tracing.create(config.tracing(), SimpleSpanProcessor.create(exporter));
    sdks.add(tracing);
    InJvmCluster.Node node = InJvmCluster.start(config, tracing);
    nodes.add(node.vertx());
    return node.hub();
  }
}
