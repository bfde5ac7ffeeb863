package io.pushhub.error;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Refusals by reason, for {@code pushhub_rejected_total{reason}}. Counted where every refusal is
 * answered (HTTP and event bus alike), per JVM: one hub node per process in production; tests
 * that run several nodes in one JVM compare differences.
 */
public final class Rejections {

  private static final Map<HubError, LongAdder> COUNTS = new EnumMap<>(HubError.class);

  static {
    for (HubError e : HubError.values()) {
      COUNTS.put(e, new LongAdder());
    }
  }

  private Rejections() {
  }

  public static void count(HubError error) {
    COUNTS.get(error).increment();
  }

  public static long total(HubError error) {
    return COUNTS.get(error).sum();
  }
}
