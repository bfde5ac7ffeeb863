package io.pushhub.publish;

import io.pushhub.broadcast.Broadcaster;
import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.pushhub.event.Event;
import io.pushhub.metrics.HubMetrics;
import io.pushhub.replay.ReplayStore;
import io.pushhub.tracing.Spans;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * The one publish path behind every endpoint: check, store (which assigns the event its position),
 * hand over for delivery, answer with the stored event. It speaks no protocol: endpoints read
 * their requests into a {@link PublishRequest} and write their answers from the event.
 */
public final class PublishService {

  private static final Logger log = LoggerFactory.getLogger(PublishService.class);

  /** The answer to a fault of the publish path (a bug, a store failure): not the publisher's doing. */
  public static final HubException FAULT = new HubException(HubError.UNAVAILABLE, "the publish path is unavailable");

  private final ReplayStore store;
  private final Broadcaster broadcaster;
  private final int maxEventBytes;
  private final HubMetrics metrics;
  private final PublishBreaker breaker;
  private final AckGate gate;
  private final Spans spans;

  /** @param spans this node's spans, {@code null} when tracing is off */
  public PublishService(ReplayStore store, Broadcaster broadcaster, int maxEventBytes, HubMetrics metrics,
                        PublishBreaker breaker, AckGate gate, Spans spans) {
    this.store = store;
    this.broadcaster = broadcaster;
    this.maxEventBytes = maxEventBytes;
    this.metrics = metrics;
    this.breaker = breaker;
    this.gate = gate;
    this.spans = spans;
  }

  /**
   * Starts the span of a publish over HTTP, in the trace its {@code traceparent} names (a new one
   * without); {@code null} when tracing is off. The endpoint ends it ({@link PublishTrace#end}).
   */
  PublishTrace traceRequest(MultiMap headers, String topic) {
    return spans == null ? null : PublishTrace.start(spans, spans.fromHeaders(headers), SpanKind.SERVER, topic);
  }

  /**
   * As {@link #traceRequest}, for a publish over the event bus: a child of Vert.x's span of the
   * message when its sender sent a trace context, else a new trace.
   */
  PublishTrace traceMessage(String topic) {
    return spans == null ? null : PublishTrace.start(spans, Context.current(), SpanKind.INTERNAL, topic);
  }

  /**
   * @return the stored event (the earlier one, flagged duplicate, when its key was used before),
   *         or a failed {@link HubException}
   */
  public Future<ReplayStore.Appended> publish(PublishRequest request) {
    return publish(request, null);
  }

  /** As {@link #publish(PublishRequest)}, its store step and hand-over inside {@code trace} (may be null). */
  Future<ReplayStore.Appended> publish(PublishRequest request, PublishTrace trace) {
    Event draft;
    try {
      draft = request.draft(maxEventBytes);
    } catch (HubException e) {
      return Future.failedFuture(e);
    }
    AckGate.Ticket ticket = gate.open();
    if (ticket == null) {
      // Outside the breaker: a node that is cut off is not a failing path, and must take publishes
      // again as soon as it is back, not after the breaker's reset time.
      return Future.failedFuture(new HubException(HubError.UNAVAILABLE,
        "this node is cut off from the cluster; publish to another one"));
    }
    // Only the store counts for the breaker: a bad request is not the path failing.
    return breaker.execute(() -> append(draft, trace)).compose(appended -> {
      if (!ticket.stillValid()) {
        // Stored while this node was cut off or stood still: maybe where the cluster will never
        // look. Unacknowledged, so the publisher retries; its idempotency key finds the event if
        // it did land.
        return Future.failedFuture(new HubException(HubError.UNAVAILABLE,
          "this node lost the cluster while storing the event; publish again"));
      }
      if (appended.duplicate()) {
        return Future.succeededFuture(appended);
      }
      Future<Void> handedOver = trace == null ? broadcaster.broadcast(appended.event(), appended.followers())
        : trace.current(() -> broadcaster.broadcast(appended.event(), appended.followers()));
      return handedOver.map(v -> {
        metrics.published();
        return appended;
      });
    });
  }

  /** The store step; its failures are logged here, since the breaker answers them all alike. */
  private Future<ReplayStore.Appended> append(Event draft, PublishTrace trace) {
    Future<ReplayStore.Appended> appended = trace == null ? store.append(draft)
      : trace.store(draft.topic(), () -> store.append(draft));
    return appended.onFailure(cause -> {
      if (!(cause instanceof HubException)) {
        try (PublishTrace.Ids ids = PublishTrace.logIds(trace)) {
          log.warn("replay store append failed {}", kv("topic", draft.topic()), cause);
        }
      }
    });
  }
}
