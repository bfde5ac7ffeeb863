package io.pushhub.publish;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.pushhub.error.HubException;
import io.pushhub.replay.ReplayStore;
import io.pushhub.tracing.Spans;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import org.slf4j.MDC;

import java.util.function.Supplier;

/**
 * One publish's span ({@value Spans#PUBLISH}) from the endpoint's first look to its answer, and
 * what happens inside it: the store step in a span of its own, the hand-over with the publish as
 * the current trace (so that the event-bus message to the other nodes carries it). Endpoints make
 * one only when tracing is on: {@code null} everywhere else.
 */
public final class PublishTrace {

  private final Spans spans;
  private final Span span;
  private final Context context;

  private PublishTrace(Spans spans, Span span, Context context) {
    this.spans = spans;
    this.span = span;
    this.context = context;
  }

  static PublishTrace start(Spans spans, Context parent, SpanKind kind, String topic) {
    Span span = spans.start(Spans.PUBLISH, parent, kind, topic);
    return new PublishTrace(spans, span, parent.with(span));
  }

  /** The store step of this publish, in its own span. */
  <T> Future<T> store(String topic, Supplier<Future<T>> append) {
    Span store = spans.start(Spans.STORE, context, SpanKind.INTERNAL, topic);
    return append.get().onComplete((result, failure) -> end(store, failure));
  }

  /** Runs {@code handOver} with this publish as the current trace. */
  <T> T current(Supplier<T> handOver) {
    try (Scope ignored = context.makeCurrent()) {
      return handOver.get();
    }
  }

  static void end(PublishTrace trace, AsyncResult<ReplayStore.Appended> outcome) {
    if (trace == null) {
      return;
    }
    if (outcome.succeeded()) {
      trace.span.setAttribute(Spans.CURSOR, outcome.result().event().cursor());
      trace.span.setAttribute(Spans.DUPLICATE, outcome.result().duplicate());
    }
    end(trace.span, outcome.cause());
  }

  private static void end(Span span, Throwable failure) {
    if (failure != null) {
      span.setAttribute(Spans.ERROR_TYPE, failure instanceof HubException e ? e.error().code()
        : failure.getClass().getName());
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }

  /** The trace and span ids in the logging MDC until closed, for a log line about this publish. */
  static Ids logIds(PublishTrace trace) {
    if (trace == null) {
      return () -> { };
    }
    SpanContext ids = trace.span.getSpanContext();
    MDC.put("trace_id", ids.getTraceId());
    MDC.put("span_id", ids.getSpanId());
    return () -> {
      MDC.remove("trace_id");
      MDC.remove("span_id");
    };
  }

  /** A scope of MDC entries. */
  interface Ids extends AutoCloseable {
    @Override
    void close();
  }
}
