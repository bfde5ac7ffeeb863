package io.pushhub.client;

import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: the delay before retry {@code n} (from 1) is uniform in
 * {@code [0, min(cap, base * 2^(n-1))]}, so a crowd of clients that failed together spreads out
 * instead of coming back together. A server's {@code Retry-After} is a floor.
 */
public final class Backoff {

  private final long baseMillis;
  private final long capMillis;
  private final DoubleSupplier random;

  /** @param random uniform in [0, 1); injectable so tests see the exact delays */
  public Backoff(long baseMillis, long capMillis, DoubleSupplier random) {
    if (baseMillis <= 0 || capMillis < baseMillis) {
      throw new IllegalArgumentException("need 0 < base <= cap, got base " + baseMillis + " cap " + capMillis);
    }
    this.baseMillis = baseMillis;
    this.capMillis = capMillis;
    this.random = random;
  }

  /** The upper bound of the delay before retry {@code retry} (1 for the first retry). */
  public long ceilingMillis(int retry) {
    int doublings = Math.min(Math.max(retry - 1, 0), 30);
    return Math.min(capMillis, baseMillis << doublings);
  }

  public long delayMillis(int retry, int retryAfterSeconds) {
    long jittered = (long) (random.getAsDouble() * (ceilingMillis(retry) + 1));
    return Math.max(jittered, retryAfterSeconds * 1000L);
  }

  /** A {@code Retry-After} header as whole seconds (0 when absent; a date, which pushhub never sends, as 1). */
  static int retryAfterSeconds(String header) {
    if (header == null) {
      return 0;
    }
    try {
      return Math.max(0, Math.min(Integer.parseInt(header.trim()), 3600));
    } catch (NumberFormatException httpDate) {
      return 1;
    }
  }
}
