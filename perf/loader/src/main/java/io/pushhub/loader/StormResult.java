package io.pushhub.loader;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.BitSet;
import java.util.Map;

/**
 * What a {@link StormChild} found, checked by position: a stream should have every acknowledged
 * event of its topic from its first event to the topic's last acknowledged one. Only the gaps
 * between positions a stream read are kept (a few: unacknowledged publishes or losses), so memory
 * does not grow with the events. Times are histograms in µs after the kill, sent to the parent.
 */
final class StormResult {

  private static final long HIGHEST = 3_600_000_000L;

  private final int topics;
  /** Gaps as (topic, first missing position, last missing position), three longs each. */
  private long[] gaps = new long[48];
  private int gapCount;
  private final Histogram answerLatency = new Histogram(HIGHEST, 3);
  long unexpected;
  long resyncs;
  /** Events read on a survivor that were published before the stream was answered there (replayed, or on their way). */
  long resumed;

  StormResult(int topics) {
    this.topics = topics;
  }

  void gap(int topic, long from, long to) {
    if (gapCount * 3 == gaps.length) {
      gaps = Arrays.copyOf(gaps, gaps.length * 2);
    }
    gaps[gapCount * 3] = topic;
    gaps[gapCount * 3 + 1] = from;
    gaps[gapCount * 3 + 2] = to;
    gapCount++;
  }

  /** From the start of the attempt that got the stream its first 200 on a survivor to that 200. */
  void answerLatency(long micros) {
    answerLatency.recordValue(Math.max(0, Math.min(micros, HIGHEST)));
  }

  /** Per topic, the last acknowledged position in {@code acked} (bit k: topic k mod topics), -1 for none. */
  static long[] lastPositions(BitSet acked, int topics) {
    long[] last = new long[topics];
    Arrays.fill(last, -1);
    for (int k = acked.nextSetBit(0); k >= 0; k = acked.nextSetBit(k + 1)) {
      last[k % topics] = Math.max(last[k % topics], k / topics);
    }
    return last;
  }

  private long acknowledged(BitSet acked, int topic, long from, long to) {
    long n = 0;
    for (long position = Math.max(0, from); position <= to; position++) {
      n += acked.get((int) (position * topics + topic)) ? 1 : 0;
    }
    return n;
  }

  JsonObject json(StormStream[] streams, BitSet acked, long killedAt, Map<String, Long> refusals) {
    long[] finals = lastPositions(acked, topics);
    Histogram answered = new Histogram(HIGHEST, 3);
    Histogram caughtUp = new Histogram(HIGHEST, 3);
    Histogram replay = new Histogram(HIGHEST, 3);
    long live = 0, noEvent = 0, notAnswered = 0, notCaughtUp = 0, expected = 0, lost = 0, dup = 0, closes = 0, retried = 0;
    int maxAttempts = 0;
    for (StormStream stream : streams) {
      if (stream == null || !stream.live) {
        continue;
      }
      live++;
      maxAttempts = Math.max(maxAttempts, stream.attempts);
      retried += stream.attempts > 1 ? 1 : 0;
      closes += stream.closesAfterAnswer;
      dup += stream.dup;
      if (stream.answeredAt > 0) {
        answered.recordValue(Math.max(0, Math.min(stream.answeredAt - killedAt, HIGHEST)));
      } else {
        notAnswered++;
      }
      if (stream.answeredAt > 0 && stream.reachedAt > 0) {
        caughtUp.recordValue(Math.max(0, Math.min(Math.max(stream.answeredAt, stream.reachedAt) - killedAt, HIGHEST)));
        if (stream.reachedAt > stream.answeredAt) {
          replay.recordValue(Math.min(stream.reachedAt - stream.answeredAt, HIGHEST));
        }
      } else {
        notCaughtUp++;
      }
      if (stream.first < 0) {
        noEvent++;
        continue;
      }
      expected += acknowledged(acked, stream.topic, stream.first, finals[stream.topic]);
      lost += acknowledged(acked, stream.topic, stream.last + 1, finals[stream.topic]);
    }
    for (int g = 0; g < gapCount; g++) {
      lost += acknowledged(acked, (int) gaps[g * 3], gaps[g * 3 + 1], gaps[g * 3 + 2]);
    }
    JsonObject refused = new JsonObject();
    refusals.forEach(refused::put);
    return new JsonObject().put("type", "result").put("streams", live).put("noEvent", noEvent)
      .put("notAnswered", notAnswered).put("notCaughtUp", notCaughtUp).put("expected", expected).put("lost", lost)
      .put("dup", dup).put("unexpected", unexpected).put("resyncs", resyncs).put("resumed", resumed).put("closesAfterAnswer", closes)
      .put("retried", retried).put("maxAttempts", maxAttempts).put("refusals", refused)
      .put("answered", encode(answered)).put("caughtUp", encode(caughtUp)).put("replay", encode(replay))
      .put("answerLatency", encode(answerLatency));
  }

  static String encode(Histogram histogram) {
    ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    histogram.encodeIntoCompressedByteBuffer(buffer);
    return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), buffer.position()));
  }

  static Histogram decode(String encoded) throws Exception {
    return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(encoded)), 0);
  }
}
