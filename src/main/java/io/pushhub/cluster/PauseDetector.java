package io.pushhub.cluster;

import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Notices that this whole process stood still (a long GC pause, a stopped or migrated VM,
 * SIGSTOP). Such a node wakes up with a view of the cluster that may be stale: the others may have
 * declared it dead and moved its partitions on, while it still believes it owns them, so for a
 * moment it could store and acknowledge what the cluster will never have. A thread that ticks
 * often sees the pause as a late tick; whoever is about to acknowledge also checks that the last
 * tick is recent, since after a pause any thread may run before this one.
 */
public final class PauseDetector {

  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final long thresholdNanos;
  private final LongConsumer onPause;
  private volatile long lastTickNanos = System.nanoTime();
  private volatile long pauses;

  /**
   * @param threshold a stall at least this long counts as a pause
   * @param onPause told the length of each pause, in milliseconds, on the detector's thread
   */
  public PauseDetector(long threshold, TimeUnit unit, LongConsumer onPause) {
    this.thresholdNanos = unit.toNanos(threshold);
    this.onPause = onPause;
    Thread thread = new Thread(this::run, "pushhub-pause-detector");
    thread.setDaemon(true);
    thread.start();
  }

  /** How many pauses were seen so far: a publish that saw this number change must not be acknowledged. */
  public long pauses() {
    return pauses;
  }

  /** Whether the process looks paused right now: the detector's last tick is far older than it should be. */
  public boolean stalled() {
    return System.nanoTime() - lastTickNanos >= thresholdNanos;
  }

  private void run() {
    while (true) {
      try {
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(TICK_NANOS));
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      long stood = now - lastTickNanos - TICK_NANOS;
      boolean paused = stood >= thresholdNanos;
      if (paused) {
        // Counted before the tick moves on: a check in between still sees the stall.
        pauses++;
      }
      lastTickNanos = now;
      if (paused) {
        onPause.accept(TimeUnit.NANOSECONDS.toMillis(stood));
      }
    }
  }
}
