package io.pushhub.loader;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Topic churn: publishes at {@code --rate} per second, each topic getting {@code --events-per-topic}
 * events before the next new one starts, over the nodes of {@code --url} in turn; every
 * {@code --subscribe-every}-th topic also gets a short-lived subscriber that replays it from the
 * start and leaves. Every {@code --sample} seconds it prints one JSON line per sample: topics so far,
 * publishes acknowledged and refused, subscribers served, and for each {@code --server-pid} its RSS
 * and (from {@code /metrics}) its heap in use, the lowest seen in the sample window (the live set
 * more than the collector's timing). Memory that is bounded goes flat once {@code replay.maxAgeSeconds}
 * has passed while topics keep coming.
 *
 * <pre>java -cp pushhub-loader.jar io.pushhub.loader.Churn --url http://127.0.0.1:8080 --rate 500 --duration 300 --server-pid 1234</pre>
 */
public final class Churn {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    String[] urls = args.string("url", "http://127.0.0.1:8080").split(",");
    int rate = args.integer("rate", 500);
    int duration = args.integer("duration", 300);
    int eventsPerTopic = args.integer("events-per-topic", 3);
    int subscribeEvery = args.integer("subscribe-every", 10);
    int sampleSeconds = args.integer("sample", 10);
    String prefix = args.string("topic", "churn-" + Long.toString(System.nanoTime(), 36));
    long[] pids = java.util.Arrays.stream(args.string("server-pid", "0").split(",")).mapToLong(Long::parseLong).toArray();

    HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    ExecutorService subscribers = Executors.newFixedThreadPool(8);
    Semaphore subscriberSlots = new Semaphore(64);
    AtomicLong acknowledged = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicLong served = new AtomicLong();
    AtomicLong skipped = new AtomicLong();
    AtomicLong incomplete = new AtomicLong();
    long[] lowestHeap = new long[pids.length];
    java.util.Arrays.fill(lowestHeap, Long.MAX_VALUE);

    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(duration);
    long nextSample = start + TimeUnit.SECONDS.toNanos(sampleSeconds);
    long nextHeapRead = start;
    long sent = 0;
    while (System.nanoTime() < end) {
      long due = start + sent * 1_000_000_000L / rate;
      long now = System.nanoTime();
      if (now < due) {
        TimeUnit.NANOSECONDS.sleep(Math.min(due - now, 2_000_000));
        continue;
      }
      long topicNumber = sent / eventsPerTopic;
      String topic = prefix + "-" + topicNumber;
      String url = urls[(int) (sent % urls.length)];
      boolean lastOfTopic = sent % eventsPerTopic == eventsPerTopic - 1;
      publish(http, url, topic, "e" + sent).whenComplete((status, e) -> {
        if (e == null && status == 200) {
          acknowledged.incrementAndGet();
        } else {
          refused.incrementAndGet();
        }
      }).thenRun(() -> {
        if (lastOfTopic && topicNumber % subscribeEvery == 0) {
          if (subscriberSlots.tryAcquire()) {
            subscribers.execute(() -> {
              try {
                if (replay(http, url, topic, eventsPerTopic)) {
                  served.incrementAndGet();
                } else {
                  incomplete.incrementAndGet();
                }
              } finally {
                subscriberSlots.release();
              }
            });
          } else {
            skipped.incrementAndGet();
          }
        }
      });
      sent++;
      if (now >= nextHeapRead) {
        for (int i = 0; i < pids.length; i++) {
          lowestHeap[i] = Math.min(lowestHeap[i], heapUsed(http, urls[i % urls.length]));
        }
        nextHeapRead = now + TimeUnit.SECONDS.toNanos(1);
      }
      if (now >= nextSample) {
        JsonArray nodes = new JsonArray();
        for (int i = 0; i < pids.length; i++) {
          nodes.add(new JsonObject().put("pid", pids[i]).put("rssMb", rssMb(pids[i]))
            .put("heapMb", lowestHeap[i] == Long.MAX_VALUE ? null : lowestHeap[i] / (1024 * 1024)));
          lowestHeap[i] = Long.MAX_VALUE;
        }
        System.out.println(new JsonObject().put("seconds", (now - start) / 1_000_000_000L).put("topics", topicNumber + 1)
          .put("acknowledged", acknowledged.get()).put("refused", refused.get()).put("subscribers", served.get())
          .put("subscribersIncomplete", incomplete.get()).put("subscribersSkipped", skipped.get()).put("nodes", nodes)
          .encode());
        nextSample += TimeUnit.SECONDS.toNanos(sampleSeconds);
      }
    }
    subscribers.shutdown();
    subscribers.awaitTermination(30, TimeUnit.SECONDS);
    System.exit(0);
  }

  private static java.util.concurrent.CompletableFuture<Integer> publish(HttpClient http, String url, String topic,
                                                                         String data) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/publish")).timeout(TIMEOUT)
      .header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("topic", topic).put("data", data).encode())).build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
  }

  /** Replays {@code topic} from its start (an unparseable cursor asks for everything) until it has {@code events} events. */
  private static boolean replay(HttpClient http, String url, String topic, int events) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/events?topic=" + topic)).timeout(TIMEOUT)
      .header("Last-Event-ID", "from-the-start").build();
    try {
      HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        if (response.statusCode() != 200) {
          return false;
        }
        int seen = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (line.startsWith("data: e") && ++seen == events) {
            return true;
          }
        }
        return false;
      }
    } catch (Exception e) {
      return false;
    }
  }

  /** Heap in use from the node's Prometheus scrape; {@code Long.MAX_VALUE} when it did not answer. */
  private static long heapUsed(HttpClient http, String url) {
    try {
      String scrape = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).timeout(TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString()).body();
      long sum = 0;
      for (String line : scrape.split("\n")) {
        if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
          sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return sum;
    } catch (Exception e) {
      return Long.MAX_VALUE;
    }
  }

  private static long rssMb(long pid) {
    try {
      List<String> status = new ArrayList<>(Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")));
      for (String line : status) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (Exception e) {
      // gone
    }
    return -1;
  }
}
