package io.pushhub.publish;

import io.pushhub.broadcast.Broadcaster;
import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.pushhub.event.Event;
import io.pushhub.metrics.HubMetrics;
import io.pushhub.replay.ReplayStore;
import io.vertx.core.Future;

/**
 * The one publish path behind every endpoint: check, store (which assigns the event its position),
 * hand over for delivery, answer with the stored event. It speaks no protocol: endpoints read
 * their requests into a {@link PublishRequest} and write their answers from the event.
 */
public final class PublishService {

  /** The answer to a fault of the publish path (a bug, a store failure): not the publisher's doing. */
  public static final HubException FAULT = new HubException(HubError.UNAVAILABLE, "the publish path is unavailable");

  private final ReplayStore store;
  private final Broadcaster broadcaster;
  private final int maxEventBytes;
  private final HubMetrics metrics;
  private final PublishBreaker breaker;
  private final AckGate gate;

  public PublishService(ReplayStore store, Broadcaster broadcaster, int maxEventBytes, HubMetrics metrics,
                        PublishBreaker breaker, AckGate gate) {
    this.store = store;
    this.broadcaster = broadcaster;
    this.maxEventBytes = maxEventBytes;
    this.metrics = metrics;
    this.breaker = breaker;
    this.gate = gate;
  }

  /**
   * @return the stored event (the earlier one, flagged duplicate, when its key was used before),
   *         or a failed {@link HubException}
   */
  public Future<ReplayStore.Appended> publish(PublishRequest request) {
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
    return breaker.execute(() -> store.append(draft)).compose(appended -> {
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
      return broadcaster.broadcast(appended.event()).map(v -> {
        metrics.published();
        return appended;
      });
    });
  }
}
