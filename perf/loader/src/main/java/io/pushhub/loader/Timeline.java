package io.pushhub.loader;

import io.vertx.core.json.JsonArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code --timeline}: per measured event, when it was sent and its first and last arrival (µs),
 * recorded in each child and merged in the loader. It tells a tail made by a few slow events (a
 * pause somewhere) from one made by every fan-out being long.
 */
final class Timeline {

  private final AtomicLongArray sentAt;
  private final AtomicLongArray firstAt;
  private final AtomicLongArray lastAt;

  /** @param events how many measured events to keep (sequence numbers 0 to events - 1) */
  Timeline(int events) {
    sentAt = new AtomicLongArray(events);
    firstAt = new AtomicLongArray(events);
    lastAt = new AtomicLongArray(events);
  }

  /** Event {@code seq}, sent at {@code sent}, arrived on a stream at {@code now}; any thread. */
  void record(int seq, long sent, long now) {
    if (seq >= sentAt.length()) {
      return;
    }
    sentAt.set(seq, sent);
    firstAt.accumulateAndGet(seq, now, (a, b) -> a == 0 ? b : Math.min(a, b));
    lastAt.accumulateAndGet(seq, now, Math::max);
  }

  /** {@code [[seq,sent,first,last],...]} for the events that arrived here. */
  String json() {
    StringBuilder json = new StringBuilder("[");
    for (int seq = 0; seq < sentAt.length(); seq++) {
      if (sentAt.get(seq) != 0) {
        json.append(json.length() == 1 ? "" : ",").append('[').append(seq).append(',').append(sentAt.get(seq))
          .append(',').append(firstAt.get(seq)).append(',').append(lastAt.get(seq)).append(']');
      }
    }
    return json.append(']').toString();
  }

  /** The children's timelines together: per event, the earliest first and the latest last arrival. */
  static final class Merged {

    /** seq → {sent, first, last} */
    private final Map<Integer, long[]> events = new TreeMap<>();

    void add(JsonArray childTimeline) {
      for (Object entry : childTimeline) {
        JsonArray e = (JsonArray) entry;
        long[] merged = events.computeIfAbsent(e.getInteger(0), seq -> new long[] {e.getLong(1), Long.MAX_VALUE, 0});
        merged[1] = Math.min(merged[1], e.getLong(2));
        merged[2] = Math.max(merged[2], e.getLong(3));
      }
    }

    /** One TSV line per event: sent (epoch ms and ms after the first), first and last arrival (ms after sending). */
    void write(Path file) throws IOException {
      if (events.isEmpty()) {
        return;
      }
      long start = events.values().iterator().next()[0];
      StringBuilder tsv = new StringBuilder("seq\tsentEpochMs\tsentMs\tfirstMs\tlastMs\n");
      events.forEach((seq, t) -> tsv.append(seq).append('\t').append(t[0] / 1000).append('\t').append((t[0] - start) / 1000)
        .append('\t').append(Loader.ms(t[1] - t[0])).append('\t').append(Loader.ms(t[2] - t[0])).append('\n'));
      Files.writeString(file, tsv);
    }
  }
}
