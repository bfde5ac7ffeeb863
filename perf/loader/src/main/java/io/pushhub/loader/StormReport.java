package io.pushhub.loader;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.util.List;

/** {@link FailoverStorm}'s JSON line: its children's results merged, and the CPU the storm took. */
final class StormReport {

  private static final double TICKS_PER_SECOND = 100;
  private static final String[] COUNTS = {"streams", "noEvent", "notAnswered", "notCaughtUp", "expected", "lost", "dup",
    "unexpected", "resyncs", "resumed", "closesAfterAnswer", "retried"};

  /** CPU ticks of the survivors and of the loader (all its processes) at a time, and the 1-minute load average. */
  record Sample(long micros, long survivorTicks, long loaderTicks, double load) {
  }

  private StormReport() {
  }

  static JsonObject summary(List<JsonObject> results, Sample atKill, List<Sample> samples, long killedAt) throws Exception {
    JsonObject summary = new JsonObject();
    Histogram answered = new Histogram(3_600_000_000L, 3);
    Histogram caughtUp = new Histogram(3_600_000_000L, 3);
    Histogram replay = new Histogram(3_600_000_000L, 3);
    Histogram answerLatency = new Histogram(3_600_000_000L, 3);
    JsonObject refusals = new JsonObject();
    int maxAttempts = 0;
    int missing = 0;
    for (JsonObject result : results) {
      if (result.containsKey("missing")) {
        missing++;
        continue;
      }
      for (String count : COUNTS) {
        summary.put(count, summary.getLong(count, 0L) + result.getLong(count));
      }
      answered.add(StormResult.decode(result.getString("answered")));
      caughtUp.add(StormResult.decode(result.getString("caughtUp")));
      replay.add(StormResult.decode(result.getString("replay")));
      answerLatency.add(StormResult.decode(result.getString("answerLatency")));
      result.getJsonObject("refusals").forEach(e -> refusals.put(e.getKey(), refusals.getLong(e.getKey(), 0L)
        + ((Number) e.getValue()).longValue()));
      maxAttempts = Math.max(maxAttempts, result.getInteger("maxAttempts"));
    }
    boolean allAnswered = missing == 0 && summary.getLong("notAnswered", 0L) == 0;
    boolean allCaughtUp = missing == 0 && summary.getLong("notCaughtUp", 0L) == 0;
    summary.put("childrenMissing", missing)
      .put("answeredMs", spread(answered, allAnswered)).put("caughtUpMs", spread(caughtUp, allCaughtUp))
      .put("replayMs", new JsonObject().put("streams", replay.getTotalCount())
        .put("p50", ms(replay.getValueAtPercentile(50))).put("p99", ms(replay.getValueAtPercentile(99)))
        .put("max", ms(replay.getMaxValue())))
      .put("answerLatencyMs", new JsonObject().put("p50", ms(answerLatency.getValueAtPercentile(50)))
        .put("p99", ms(answerLatency.getValueAtPercentile(99))).put("max", ms(answerLatency.getMaxValue())))
      .put("maxAttempts", maxAttempts).put("refusals", refusals);
    // The storm ends when the last stream has caught up (else: when the run ended).
    long end = allCaughtUp ? killedAt + caughtUp.getMaxValue() : Long.MAX_VALUE;
    Sample last = samples.get(samples.size() - 1);
    Sample atEnd = samples.stream().filter(s -> s.micros() >= end).findFirst().orElse(last);
    summary.put("storm", new JsonObject().put("seconds", round((atEnd.micros() - killedAt) / 1e6))
        .put("survivorCpuSeconds", seconds(atEnd.survivorTicks() - atKill.survivorTicks()))
        .put("loaderCpuSeconds", seconds(atEnd.loaderTicks() - atKill.loaderTicks()))
        .put("loadAtKill", atKill.load()).put("loadAtEnd", atEnd.load()))
      .put("wholeRunAfterKill", new JsonObject().put("seconds", round((last.micros() - killedAt) / 1e6))
        .put("survivorCpuSeconds", seconds(last.survivorTicks() - atKill.survivorTicks()))
        .put("loaderCpuSeconds", seconds(last.loaderTicks() - atKill.loaderTicks())));
    return summary;
  }

  /** First, half, 99 % and all of the streams; "all" is null when some never got there. */
  private static JsonObject spread(Histogram h, boolean all) {
    return new JsonObject().put("first", ms(h.getMinValue())).put("half", ms(h.getValueAtPercentile(50)))
      .put("p99", ms(h.getValueAtPercentile(99))).put("all", all ? ms(h.getMaxValue()) : null)
      .put("count", h.getTotalCount());
  }

  private static double ms(long micros) {
    return round(micros / 1000.0);
  }

  private static double seconds(long ticks) {
    return round(ticks / TICKS_PER_SECOND);
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
