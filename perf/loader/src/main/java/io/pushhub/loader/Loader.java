package io.pushhub.loader;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fan-out load: N SSE streams (spread over child processes, since one process may hold at most
 * ~19.9k sockets here), a publisher at R events/s paced by the clock (not by replies), and one
 * JSON line of results: connected, delivered, expected, lost, dup, latency percentiles,
 * deliveries/s, publish reply latency, and the server's CPU time and RSS when its pid is given.
 */
public final class Loader {

  private static final long CLOCK_TICKS = 100;

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    if (args.flag("child")) {
      new Child(args).run();
      return;
    }
    new Loader().run(args);
  }

  private void run(Args args) throws Exception {
    // "--url A,B,C": stream children take the nodes in turn (a cluster without a balancer in front).
    String[] urls = args.string("url", "http://127.0.0.1:8080").replace("http://", "").split(",");
    String url = urls[0];
    int subscribers = args.integer("subscribers", 1000);
    double rate = args.decimal("rate", 10);
    int duration = args.integer("duration", 20);
    int topics = args.integer("topics", 1);
    String topic = args.string("topic", "bench");
    int perChild = args.integer("per-child", 9000);
    int payload = args.integer("payload-bytes", 100);
    int grace = args.integer("grace", 5);
    // nginx+Nchan is a master and its workers: "--server-pid 12,13,14" sums their CPU and RSS.
    long[] serverPid = java.util.Arrays.stream(args.string("server-pid", "0").split(","))
      .mapToLong(Long::parseLong).toArray();
    String publishFormat = args.string("publish-format", "json");
    String publishPath = args.string("publish-path", "/publish");
    // "--publish-url A,B,C": publishes take the nodes in turn.
    String publishUrl = args.string("publish-url", "http://" + url);

    long rssBeforeKb = serverPid[0] > 0 ? serverRssKb(serverPid) : 0;
    // "--timeline FILE": one line per measured event (see Timeline).
    String timelineFile = args.string("timeline", "");
    int timelineEvents = timelineFile.isEmpty() ? 0 : (int) Math.round(rate * duration) + 1;
    List<Process> children = new ArrayList<>();
    List<BufferedReader> outputs = new ArrayList<>();
    long connectStart = System.nanoTime();
    for (int first = 0; first < subscribers; first += perChild) {
      int count = Math.min(perChild, subscribers - first);
      List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx1g", "-XX:+UseSerialGC", "-cp", jarPath(),
        "io.pushhub.loader.Loader", "--child", "--url", urls[children.size() % urls.length], "--first", Integer.toString(first),
        "--count", Integer.toString(count), "--topics", Integer.toString(topics), "--topic", topic,
        args.flag("browser-headers") ? "--browser-headers" : "--plain-headers", "--timeline", Integer.toString(timelineEvents),
        "--protocol", args.string("protocol", "events"), "--expect", args.string("expect", "all")));
      if (args.flag("selector")) {
        command.add("--selector");
        command.add(args.string("selector", ""));
      }
      Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      children.add(child);
      outputs.add(new BufferedReader(new InputStreamReader(child.getInputStream())));
    }
    int connected = 0;
    for (BufferedReader out : outputs) {
      JsonObject line = new JsonObject(out.readLine());
      connected += line.getInteger("count");
    }
    double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
    log("connected %d/%d streams in %.1f s", connected, subscribers, connectSeconds);
    // Memory of the open streams before any event: settle, then read the server's RSS.
    int settle = args.integer("settle", 0);
    Thread.sleep(settle * 1000L);
    long rssConnectedKb = serverPid[0] > 0 ? serverRssKb(serverPid) : 0;

    // Warm-up and measured events are one paced stream from one client, with no pause between them:
    // a pause lets the JIT deoptimise the servers' idle paths and the measured run would start cold.
    int warmup = args.integer("warmup", 15);
    if (warmup > 0) {
      log("warming up for %d s (not measured)", warmup);
    }
    AtomicLong cpuBefore = new AtomicLong();
    Publisher publisher = new Publisher(publishUrl, publishPath, topic, topics, payload, publishFormat);
    publisher.run(rate, warmup, duration, () -> cpuBefore.set(serverCpuTicks(serverPid)));
    log("published %d (errors %d) in %d s; waiting %d s for deliveries", publisher.acked.cardinality(),
      publisher.errors.get(), duration, grace);
    Thread.sleep(grace * 1000L);
    long cpuAfter = serverCpuTicks(serverPid);

    String acked = Base64.getEncoder().encodeToString(publisher.acked.toByteArray());
    long received = 0;
    long lost = 0;
    long dup = 0;
    long unexpected = 0;
    Histogram latency = new Histogram(60_000_000L, 3);
    Timeline.Merged timeline = new Timeline.Merged();
    for (int i = 0; i < children.size(); i++) {
      PrintWriter in = new PrintWriter(children.get(i).getOutputStream(), true);
      in.println("stop " + acked);
      JsonObject result = new JsonObject(outputs.get(i).readLine());
      received += result.getLong("received");
      lost += result.getLong("lost");
      dup += result.getLong("dup");
      unexpected += result.getLong("unexpected");
      latency.add(Histogram.decodeFromCompressedByteBuffer(
        ByteBuffer.wrap(Base64.getDecoder().decode(result.getString("histogram"))), 0));
      if (result.containsKey("timeline")) {
        timeline.add(result.getJsonArray("timeline"));
      }
    }
    if (!timelineFile.isEmpty()) {
      timeline.write(Path.of(timelineFile));
    }
    children.forEach(Process::destroy);

    long published = publisher.acked.cardinality();
    long expected = received + lost;
    double cpuSeconds = (cpuAfter - cpuBefore.get()) / (double) CLOCK_TICKS;
    JsonObject summary = new JsonObject()
      .put("subscribers", subscribers).put("connected", connected).put("topics", topics)
      .put("rate", rate).put("duration", duration)
      .put("published", published).put("publishErrors", publisher.errors.get())
      .put("publishRateAchieved", round(published / (double) duration))
      .put("expected", expected).put("delivered", received).put("lost", lost).put("dup", dup)
      .put("p50Ms", ms(latency.getValueAtPercentile(50))).put("p99Ms", ms(latency.getValueAtPercentile(99)))
      .put("p999Ms", ms(latency.getValueAtPercentile(99.9))).put("maxMs", ms(latency.getMaxValue()))
      .put("deliveriesPerSec", round(received / (double) duration))
      .put("publishP50Ms", ms(publisher.latency.getValueAtPercentile(50)))
      .put("publishP99Ms", ms(publisher.latency.getValueAtPercentile(99)))
      .put("connectSeconds", round(connectSeconds))
      .put("refusals", publisher.refusalsJson());
    if (args.flag("selector")) {
      // Events a stream got although its selector should not match them (--expect none).
      summary.put("protocol", args.string("protocol", "events")).put("selector", args.string("selector", ""))
        .put("expect", args.string("expect", "all")).put("unexpected", unexpected);
    } else if (args.flag("protocol")) {
      summary.put("protocol", args.string("protocol", "events"));
    }
    if (serverPid[0] > 0) {
      summary.put("serverCpuSeconds", round(cpuSeconds))
        .put("serverCpuUsPerDelivery", received == 0 ? null : round(cpuSeconds * 1e6 / received))
        .put("serverRssMb", round(serverRssKb(serverPid) / 1024.0))
        .put("serverRssBeforeMb", round(rssBeforeKb / 1024.0))
        .put("serverRssConnectedMb", round(rssConnectedKb / 1024.0))
        .put("rssKbPerStream", connected == 0 ? null : round((rssConnectedKb - rssBeforeKb) / (double) connected));
    }
    System.out.println(summary.encode());
    System.exit(0);
  }

  private static long serverCpuTicks(long[] pids) {
    long ticks = 0;
    for (long pid : pids) {
      ticks += pid > 0 ? serverCpuTicks(pid) : 0;
    }
    return ticks;
  }

  private static long serverRssKb(long[] pids) throws Exception {
    long kb = 0;
    for (long pid : pids) {
      kb += serverRssKb(pid);
    }
    return kb;
  }

  private static long serverCpuTicks(long pid) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private static long serverRssKb(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }

  static double ms(long micros) {
    return round(micros / 1000.0);
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String jarPath() throws Exception {
    return Path.of(Loader.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  private static void log(String format, Object... values) {
    System.err.println("loader: " + String.format(Locale.ROOT, format, values));
  }
}
