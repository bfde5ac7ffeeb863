package io.pushhub.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.pushhub.config.HubConfig;
import io.vertx.core.VertxBuilder;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The process's OpenTelemetry SDK, made only when {@code tracing.enabled}: without it Vert.x has no
 * tracer and the hub makes no span. It serves Vert.x's tracer (event-bus messages get spans and
 * carry {@code traceparent} in their headers) and the hub's own spans ({@link Spans}).
 */
public final class Tracing {

  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> SERVICE_INSTANCE = AttributeKey.stringKey("service.instance.id");

  private final OpenTelemetrySdk sdk;

  private Tracing(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
  }

  /** Spans batched and sent over OTLP/HTTP; {@code null} when tracing is off. */
  public static Tracing fromConfig(HubConfig.Tracing config) {
    if (!config.enabled()) {
      return null;
    }
    return create(config, BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder()
      .setEndpoint(config.otlpEndpoint()).build()).build());
  }

  /** Spans handed to {@code processor} (tests give one over an in-memory exporter). */
  public static Tracing create(HubConfig.Tracing config, SpanProcessor processor) {
    Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, config.serviceName(),
      SERVICE_INSTANCE, UUID.randomUUID().toString())));
    SdkTracerProvider provider = SdkTracerProvider.builder()
      .setResource(resource)
      // A caller's sampled flag decides for its trace; the ratio only for traces that start here.
      .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.sampleRatio())))
      .addSpanProcessor(processor)
      .build();
    return new Tracing(OpenTelemetrySdk.builder().setTracerProvider(provider)
      .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build());
  }

  /** {@code builder} with Vert.x's tracer on this SDK when {@code tracing} is not null; unchanged otherwise. */
  public static VertxBuilder install(VertxBuilder builder, Tracing tracing) {
    return tracing == null ? builder : builder.withTracer(new OpenTelemetryTracingFactory(tracing.sdk));
  }

  /** The hub's spans for one node. */
  public Spans spans(String nodeId) {
    return new Spans(sdk, nodeId);
  }

  /** Sends what is still batched, waiting at most {@code timeoutMillis} for it, then stops. */
  public void close(long timeoutMillis) {
    sdk.shutdown().join(timeoutMillis, TimeUnit.MILLISECONDS);
  }
}
