package io.pushhub.sse;

import io.pushhub.delivery.SliceScheduler;
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
 * The open streams of one verticle instance, on its event loop: their flushes, one timer for all
 * their heartbeats, and the spread-out close of a drain.
 */
public final class LocalStreams {

  /** Heartbeat check period: a stream is never silent longer than its heartbeat plus this. */
  private static final long TICK_MILLIS = 500;

  private final Vertx vertx;
  private final Context context;
  /** Flush passes outside a delivery (heartbeats) go out a slice at a time, like deliveries. */
  private final SliceScheduler slices;
  private final long heartbeatMillis;
  private final List<SseConnection> toFlush = new ArrayList<>();
  /** How many of {@link #toFlush} this pass has flushed. */
  private int flushed;
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
    this.slices = new SliceScheduler(context);
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
   * A stream written to again while a pass is under way joins the end of that pass.
   */
  void needsFlush(SseConnection connection) {
    if (!connection.dirty) {
      connection.dirty = true;
      toFlush.add(connection);
      if (!flushScheduled) {
        flushScheduled = true;
        context.runOnContext(v -> flushSlice());
      }
    }
  }

  /** Flushes at once every stream written to and not flushed yet: a delivery slice's streams. */
  public void flushWritten() {
    for (int i = flushed; i < toFlush.size(); i++) {
      toFlush.get(i).flush();
    }
    flushed = toFlush.size();
  }

  private void flushSlice() {
    int end = flushed + Math.min(slices.budget(), toFlush.size() - flushed);
    for (int i = flushed; i < end; i++) {
      toFlush.get(i).flush();
    }
    flushed = end;
    if (flushed < toFlush.size()) {
      slices.afterPoll(this::flushSlice);
    } else {
      toFlush.clear();
      flushed = 0;
      flushScheduled = false;
    }
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
  public void closeAll(long spreadMillis, CloseReason reason) {
    List<SseConnection> toClose = new ArrayList<>(open);
    Collections.shuffle(toClose);
    if (drainTimer >= 0) {
      vertx.cancelTimer(drainTimer);
      drainTimer = -1;
    }
    if (spreadMillis <= 0 || toClose.isEmpty()) {
      toClose.forEach(c -> c.close(reason));
      return;
    }
    long start = now();
    int[] closed = {0};
    drainTimer = vertx.setPeriodic(50, id -> {
      double share = Math.min(1.0, (now() - start) / (double) spreadMillis);
      int target = (int) Math.ceil(share * toClose.size());
      while (closed[0] < target) {
        toClose.get(closed[0]++).close(reason);
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
