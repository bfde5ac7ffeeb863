package io.pushhub.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.vertx.core.MultiMap;

/**
 * The spans pushhub makes itself, on one node: {@value #PUBLISH}, {@value #STORE} and
 * {@value #FANOUT}. The hop between nodes is Vert.x's: its event-bus spans, and the trace context
 * in the message's headers. Names and attributes are listed in docs/operations.md.
 */
public final class Spans {

  public static final String PUBLISH = "pushhub.publish";
  public static final String STORE = "pushhub.store";
  public static final String FANOUT = "pushhub.fanout";
  public static final AttributeKey<String> TOPIC = AttributeKey.stringKey("pushhub.topic");
  public static final AttributeKey<String> NODE = AttributeKey.stringKey("pushhub.node");
  public static final AttributeKey<String> CURSOR = AttributeKey.stringKey("pushhub.cursor");
  public static final AttributeKey<Boolean> DUPLICATE = AttributeKey.booleanKey("pushhub.duplicate");
  public static final AttributeKey<Long> INSTANCES = AttributeKey.longKey("pushhub.instances");
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private static final TextMapGetter<MultiMap> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(MultiMap carrier) {
      return carrier.names();
    }

    @Override
    public String get(MultiMap carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final String nodeId;

  Spans(OpenTelemetry openTelemetry, String nodeId) {
    this.tracer = openTelemetry.getTracer("io.pushhub");
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    this.nodeId = nodeId;
  }

  /** The trace a request's {@code traceparent} and {@code tracestate} headers name (the root without them). */
  public Context fromHeaders(MultiMap headers) {
    return propagator.extract(Context.root(), headers, HEADERS);
  }

  /**
   * The trace context current on this thread's Vert.x context (Vert.x's span of an event-bus
   * message, or a publish made current), or {@code null} when it is in no trace.
   */
  public static Context carried() {
    Context current = Context.current();
    return Span.fromContext(current).getSpanContext().isValid() ? current : null;
  }

  /** Starts a span of this node about {@code topic}, a child of {@code parent}'s span (a root without one). */
  public Span start(String name, Context parent, SpanKind kind, String topic) {
    return tracer.spanBuilder(name).setParent(parent).setSpanKind(kind)
      .setAttribute(TOPIC, topic).setAttribute(NODE, nodeId).startSpan();
  }
}
