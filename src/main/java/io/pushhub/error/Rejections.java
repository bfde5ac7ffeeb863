package io.pushhub.error;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * One node's refusals by reason, for {@code pushhub_rejected_total{reason}}: counted where each
 * refusal is answered (HTTP and event bus alike). Owned by the node's metrics, so that nodes
 * sharing a JVM count apart.
 */
public final class Rejections {

  private final Map<HubError, LongAdder> counts = new EnumMap<>(HubError.class);

  public Rejections() {
    for (HubError e : HubError.values()) {
      counts.put(e, new LongAdder());
    }
  }

  public void count(HubError error) {
    counts.get(error).increment();
  }

  public long total(HubError error) {
    return counts.get(error).sum();
  }
}
