package io.pushhub.deploy;

import io.pushhub.support.SseClient;
import io.pushhub.support.TestHub;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * What a real hub exports at /metrics, scraped once per test JVM: a TestHub with one stream and one
 * publish behind it, so that the meters that appear only once used are there too.
 */
final class ExportedMetrics {

  private static String text;

  private ExportedMetrics() {
  }

  static synchronized String text() {
    if (text == null) {
      try (TestHub hub = TestHub.start(); SseClient client = hub.subscribe("/events?topic=deploy/check")) {
        hub.publish("deploy/check", "x");
        await().until(() -> client.eventCount() == 1);
        await().until(() -> hub.get("/metrics").body().contains("pushhub_delivery_latency_seconds_count 1"));
        text = hub.get("/metrics").body();
      }
    }
    return text;
  }

  /** Names of the series, as PromQL sees them (histograms as _bucket, _count, _sum). */
  static Set<String> seriesNames() {
    return Arrays.stream(text().split("\n"))
      .filter(line -> !line.isBlank() && !line.startsWith("#"))
      .map(line -> line.split("[{ ]", 2)[0])
      .collect(Collectors.toCollection(java.util.TreeSet::new));
  }
}
