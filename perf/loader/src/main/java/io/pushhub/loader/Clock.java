package io.pushhub.loader;

import java.time.Instant;

/** Wall-clock microseconds, cheap to read: one Instant at start, then the monotonic clock. */
final class Clock {

  private static final long BASE_MICROS;
  private static final long BASE_NANOS;

  static {
    Instant now = Instant.now();
    BASE_NANOS = System.nanoTime();
    BASE_MICROS = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }

  private Clock() {
  }

  static long micros() {
    return BASE_MICROS + (System.nanoTime() - BASE_NANOS) / 1000;
  }
}
