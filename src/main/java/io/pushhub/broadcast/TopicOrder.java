package io.pushhub.broadcast;

import io.opentelemetry.context.Context;
import io.pushhub.event.Event;
import io.pushhub.event.Position;
import io.pushhub.replay.ReplayStore;
import io.vertx.core.Future;

import java.util.Map;
import java.util.TreeMap;

/**
 * One topic's delivery order on this node: emits events in position order without gaps, holding
 * back early ones. Lives on the {@link NodeFanout} context.
 *
 * <p>It starts from the store's head, so that no event is skipped because a later one happened to
 * arrive first. A missing event is waited for {@code gapWaitMillis}, then read from the store;
 * if the store no longer has it, delivery moves on and each stream reports the gap itself.
 *
 * <p>An event that came in a trace keeps its trace context beside it while it waits (tracing on
 * only: without a trace nothing is kept); one read from the store has none.
 */
final class TopicOrder {

  /** Early events held back at most; past it the store is asked at once. */
  private static final int MAX_PENDING = 4096;

  private final NodeFanout fanout;
  private final String topic;
  private final TreeMap<Long, Event> pending = new TreeMap<>();
  /** Trace contexts of pending events, by sequence; made at the first traced event. */
  private TreeMap<Long, Context> traces;
  /** The trace context of the event {@link #poll} last took. */
  private Context polledTrace;
  private long epoch;
  private long next;
  /** The head this order started from: events up to it were stored before, but may still be on their way. */
  private long startSeq;
  private boolean waitingForStore;
  private long gapTimer = -1;
  private boolean cancelled;

  TopicOrder(NodeFanout fanout, String topic) {
    this.fanout = fanout;
    this.topic = topic;
    startFromHead();
  }

  void offer(Event event, Context trace) {
    Position p = event.position();
    if (waitingForStore) {
      hold(event, trace);
      return;
    }
    if (p.epoch() != epoch) {
      if (epoch == 0 && next == 1) {
        epoch = p.epoch();
      } else {
        pending.clear();
        if (traces != null) {
          traces.clear();
        }
        hold(event, trace);
        startFromHead();
        return;
      }
    }
    if (p.seq() < next) {
      if (p.seq() <= startSeq) {
        // Stored before the head was read, delivered after: a stream whose own read came earlier
        // still needs it, and a stream that has it drops it by position.
        fanout.emit(event, trace);
      }
      return;
    }
    hold(event, trace);
    drain();
  }

  private void hold(Event event, Context trace) {
    long seq = event.position().seq();
    pending.put(seq, event);
    if (trace != null) {
      if (traces == null) {
        traces = new TreeMap<>();
      }
      traces.put(seq, trace);
    } else if (traces != null) {
      traces.remove(seq);
    }
  }

  /** Takes the first pending event; its trace context goes to {@link #polledTrace}. */
  private Event poll() {
    Map.Entry<Long, Event> first = pending.pollFirstEntry();
    polledTrace = traces == null ? null : traces.remove(first.getKey());
    return first.getValue();
  }

  void cancel() {
    cancelled = true;
    cancelGapTimer();
  }

  /**
   * Reads the store past what this order has delivered: a node that stored an event and died
   * before handing it over leaves no gap for a later event to reveal when the topic stays quiet.
   */
  Future<Void> recheck() {
    return cancelled || waitingForStore ? Future.succeededFuture() : fillFromStore();
  }

  private void startFromHead() {
    waitingForStore = true;
    cancelGapTimer();
    fanout.store().head(topic).onComplete(ar -> {
      if (cancelled) {
        return;
      }
      waitingForStore = false;
      Position head = ar.succeeded() ? ar.result() : null;
      if (head == null) {
        // Store unreachable: follow what arrives; streams still check their own positions.
        Map.Entry<Long, Event> first = pending.firstEntry();
        epoch = first == null ? 0 : first.getValue().position().epoch();
        next = first == null ? 1 : first.getKey();
        startSeq = 0;
      } else {
        epoch = head.epoch();
        startSeq = head.seq();
        next = startSeq + 1;
        // Events that arrived while the head was read, and are already behind it, go out first.
        while (!pending.isEmpty() && pending.firstKey() < next) {
          Event early = poll();
          if (early.position().epoch() == epoch) {
            fanout.emit(early, polledTrace);
          }
        }
      }
      drain();
    });
  }

  /** Emits the run of events that follows {@code next}; waits for a gap before asking the store. */
  private void drain() {
    while (!pending.isEmpty() && pending.firstKey() <= next) {
      Event event = poll();
      if (event.position().seq() == next && (event.position().epoch() == epoch || epoch == 0)) {
        epoch = event.position().epoch();
        next++;
        fanout.emit(event, polledTrace);
      }
    }
    if (pending.isEmpty()) {
      cancelGapTimer();
    } else if (pending.size() > MAX_PENDING) {
      fillFromStore();
    } else if (gapTimer < 0) {
      gapTimer = fanout.vertx().setTimer(fanout.gapWaitMillis(), id -> {
        gapTimer = -1;
        fillFromStore();
      });
    }
  }

  private Future<Void> fillFromStore() {
    cancelGapTimer();
    waitingForStore = true;
    return fanout.store().readAfter(topic, new Position(epoch, next - 1)).onComplete(ar -> {
      if (cancelled) {
        return;
      }
      waitingForStore = false;
      if (ar.succeeded() && ar.result().gap() == ReplayStore.Gap.UNKNOWN_CURSOR) {
        startFromHead();
        return;
      }
      if (ar.succeeded() && !fanout.storeTrusted()) {
        // Read while cut off: maybe events the cluster never got. Wait, and read again later.
        drain();
        return;
      }
      if (ar.succeeded()) {
        for (Event stored : ar.result().events()) {
          if (stored.position().seq() >= next) {
            pending.putIfAbsent(stored.position().seq(), stored);
          }
        }
      }
      if (!pending.isEmpty() && pending.firstKey() > next) {
        // Gone from the store too: move on; each stream sees the gap and reports it.
        next = pending.firstKey();
      }
      drain();
    }).<Void>mapEmpty().otherwiseEmpty();
  }

  private void cancelGapTimer() {
    if (gapTimer >= 0) {
      fanout.vertx().cancelTimer(gapTimer);
      gapTimer = -1;
    }
  }
}
