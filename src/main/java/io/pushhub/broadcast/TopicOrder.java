package io.pushhub.broadcast;

import io.opentelemetry.context.Context;
import io.pushhub.event.Event;
import io.pushhub.event.Position;
import io.pushhub.replay.ReplayStore;
import io.vertx.core.Future;

import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One topic's delivery order on this node: emits events in position order without gaps, holding
 * back early ones. Lives on the {@link NodeFanout} context.
 *
 * <p>It starts from the store's head, so that no event is skipped because a later one happened to
 * arrive first. A followed topic's order reads that head by following the topic in the store, so
 * that every later event is sent to this node; it is then where this node's new streams of the
 * topic start: everything after its delivered position will be emitted. A missing event is waited
 * for {@code gapWaitMillis}, then read from the store; if the store no longer has it, delivery
 * moves on and each stream reports the gap itself.
 *
 * <p>An order for a topic only pattern subscribers want (they get every event) reads the head
 * without following.
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
  /** Whether this node follows the topic in the store (a stream names it), not only receives it. */
  private boolean followed;
  /** Whether the head this order rests on has been read. */
  private boolean started;
  /** Whether the store has this node among the topic's followers, as far as this order knows. */
  private boolean registered;
  /** Started, and registered if followed: new streams can be told where they start. */
  private boolean ready;
  /** Whether a follow of the topic is on its way to the store. */
  private boolean following;
  /** New streams waiting for {@link #ready} to learn where they start. */
  private final List<Promise<Position>> waiting = new ArrayList<>();

  TopicOrder(NodeFanout fanout, String topic, boolean followed) {
    this.fanout = fanout;
    this.topic = topic;
    this.followed = followed;
    startFromHead();
  }

  String topic() {
    return topic;
  }

  boolean followed() {
    return followed;
  }

  /**
   * Where a new stream of the topic starts: the position up to which this order has emitted, once
   * the topic is followed. Every event after it is emitted later, to every stream subscribed by then.
   */
  Future<Position> startPosition() {
    if (!followed) {
      followed = true;
      ready = false;
    }
    if (ready) {
      return Future.succeededFuture(delivered());
    }
    Promise<Position> promise = Promise.promise();
    waiting.add(promise);
    if (!following) {
      // Never followed, or the last follow failed: the stream waits for one that succeeds.
      refollow();
    }
    return promise.future();
  }

  private Position delivered() {
    return new Position(epoch, next - 1);
  }

  private void maybeReady() {
    if (ready || !started || followed && !registered) {
      return;
    }
    ready = true;
    Position at = delivered();
    List<Promise<Position>> served = List.copyOf(waiting);
    waiting.clear();
    served.forEach(p -> p.complete(at));
  }

  private void failWaiting(Throwable cause) {
    List<Promise<Position>> failed = List.copyOf(waiting);
    waiting.clear();
    failed.forEach(p -> p.fail(cause));
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
    failWaiting(new IllegalStateException("no stream of " + topic + " left on this node"));
  }

  /**
   * Reads the store past what this order has delivered, following the topic again first if it is
   * followed: a node that stored an event and died before handing it over leaves no gap for a
   * later event to reveal when the topic stays quiet, and a log lost with its partition, or
   * merged away after a split, no longer names this node among its followers.
   */
  Future<Void> recheck() {
    if (cancelled || waitingForStore) {
      return Future.succeededFuture();
    }
    return followed ? refollow() : fillFromStore();
  }

  /** Follows the topic in the store again, and catches up if its head is past what was delivered. */
  private Future<Void> refollow() {
    following = true;
    return fanout.follows().follow(topic).onComplete(ar -> {
      following = false;
      if (cancelled) {
        return;
      }
      if (ar.failed()) {
        failWaiting(ar.cause());
        fanout.retryLater(this);
        return;
      }
      registered = true;
      maybeReady();
      Position head = ar.result();
      if (waitingForStore) {
        return;
      }
      if (head.epoch() != epoch) {
        pending.clear();
        if (traces != null) {
          traces.clear();
        }
        startFromHead();
      } else if (head.seq() >= next) {
        fillFromStore();
      }
    }).<Void>mapEmpty().otherwiseEmpty();
  }

  private void startFromHead() {
    waitingForStore = true;
    started = false;
    ready = false;
    cancelGapTimer();
    following = followed;
    Future<Position> read = followed ? fanout.follows().follow(topic) : fanout.store().head(topic);
    read.onComplete(ar -> {
      following = false;
      if (cancelled) {
        return;
      }
      waitingForStore = false;
      started = true;
      Position head = ar.succeeded() ? ar.result() : null;
      registered = head != null && followed;
      if (head == null && followed) {
        // Not followed, so events may not come here: the streams waiting fail, and it is tried again.
        failWaiting(ar.cause());
        fanout.retryLater(this);
      }
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
      maybeReady();
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
