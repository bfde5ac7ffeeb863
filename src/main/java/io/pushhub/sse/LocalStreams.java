package io.pushhub.sse;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open streams of one verticle instance, on its event loop: one timer for all their
 * heartbeats, and the spread-out close of a drain.
 */
public final class LocalStreams {

  /** Heartbeat check period: a stream is never silent longer than its heartbeat plus this. */
  private static final long TICK_MILLIS = 500;

  private final Vertx vertx;
  private final Context context;
  private final long heartbeatMillis;
  private final List<SseConnection> toFlush = new ArrayList<>();
  private boolean flushScheduled;
  private final Set<SseConnection> open = new LinkedHashSet<>();
  /** Readable from any thread, for the node's counts. */
  private final AtomicInteger openCount = new AtomicInteger();
  private final AtomicLong slowConsumerCloses = new AtomicLong();
  private final long timer;
  private long drainTimer = -1;

  /** @param context the instance's context: every method but the counts runs on it */
  public LocalStreams(Vertx vertx, Context context, long heartbeatMillis) {
    this.vertx = vertx;
    this.context = context;
    this.heartbeatMillis = heartbeatMillis;
    this.timer = vertx.setPeriodic(TICK_MILLIS, id -> heartbeat());
  }

  void add(SseConnection connection) {
    open.add(connection);
    openCount.incrementAndGet();
  }

  void remove(SseConnection connection) {
    if (open.remove(connection)) {
      openCount.decrementAndGet();
    }
  }

  void closed(CloseReason reason) {
    if (reason == CloseReason.SLOW_CONSUMER) {
      slowConsumerCloses.incrementAndGet();
    }
  }

  /**
   * Flushes {@code connection} after the deliveries already queued on this event loop: when
   * events come faster than one loop turn, each stream gets one flush (one syscall) for all of them.
   */
  void needsFlush(SseConnection connection) {
    if (!connection.dirty) {
      connection.dirty = true;
      toFlush.add(connection);
      if (!flushScheduled) {
        flushScheduled = true;
        context.runOnContext(v -> flushAll());
      }
    }
  }

  private void flushAll() {
    flushScheduled = false;
    for (int i = 0; i < toFlush.size(); i++) {
      toFlush.get(i).flush();
    }
    toFlush.clear();
  }

  /** Runs {@code task} on this instance's event loop, after what is queued there. */
  void later(Runnable task) {
    context.runOnContext(v -> task.run());
  }

  Vertx vertx() {
    return vertx;
  }

  long now() {
    return System.currentTimeMillis();
  }

  private void heartbeat() {
    long silentSince = now() - heartbeatMillis;
    for (SseConnection connection : new ArrayList<>(open)) {
      connection.heartbeatIfSilentSince(silentSince);
    }
  }

  /** Closes every stream over {@code spreadMillis}, in random order, so they do not all come back at once. */
  public void drain(long spreadMillis) {
    List<SseConnection> toClose = new ArrayList<>(open);
    Collections.shuffle(toClose);
    if (spreadMillis <= 0 || toClose.isEmpty()) {
      toClose.forEach(c -> c.close(CloseReason.DRAINING));
      return;
    }
    long start = now();
    int[] closed = {0};
    drainTimer = vertx.setPeriodic(50, id -> {
      double share = Math.min(1.0, (now() - start) / (double) spreadMillis);
      int target = (int) Math.ceil(share * toClose.size());
      while (closed[0] < target) {
        toClose.get(closed[0]++).close(CloseReason.DRAINING);
      }
      if (closed[0] == toClose.size()) {
        vertx.cancelTimer(id);
        drainTimer = -1;
      }
    });
  }

  /** Closes the stream with that id if it is here. */
  public boolean close(String connectionId, CloseReason reason) {
    for (SseConnection connection : open) {
      if (connection.info().id().equals(connectionId)) {
        connection.close(reason);
        return true;
      }
    }
    return false;
  }

  /** A snapshot of this instance's streams; call on its event loop. */
  public List<StreamInfo> snapshot() {
    return open.stream().map(SseConnection::info).toList();
  }

  public int openCount() {
    return openCount.get();
  }

  public long slowConsumerCloses() {
    return slowConsumerCloses.get();
  }

  public void stop() {
    vertx.cancelTimer(timer);
    if (drainTimer >= 0) {
      vertx.cancelTimer(drainTimer);
    }
  }
}
