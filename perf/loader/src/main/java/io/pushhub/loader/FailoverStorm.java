package io.pushhub.loader;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A node lost under its streams: {@code --subscribers} streams of {@code --topics} topics, all on
 * the last node of {@code --url}, while a paced publisher ({@code --rate}/s over all topics)
 * publishes to the other nodes. Once every stream has read a live event, the loader SIGKILLs
 * {@code --kill-pid}; every stream resumes with its {@code Last-Event-ID} on the other nodes and
 * publishing goes on {@code --after} seconds. One JSON line: when the streams were answered and
 * had every event acknowledged before the kill, events lost and duplicated (by position, per
 * stream, from its first event to the end), refusals, and the survivors' CPU ({@code --server-pid})
 * from the kill until every stream had caught up.
 *
 * <pre>java -cp pushhub-loader.jar io.pushhub.loader.FailoverStorm --url A,B,C --kill-pid PID_C --server-pid PID_A,PID_B</pre>
 */
public final class FailoverStorm {

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    if (args.flag("child")) {
      new StormChild(args).run();
      return;
    }
    new FailoverStorm().run(args);
  }

  private void run(Args args) throws Exception {
    String[] urls = args.string("url", "").replace("http://", "").split(",");
    String victim = urls[urls.length - 1];
    String survivors = String.join(",", java.util.Arrays.copyOf(urls, urls.length - 1));
    long killPid = Long.parseLong(args.string("kill-pid", "0"));
    long[] serverPids = java.util.Arrays.stream(args.string("server-pid", "0").split(",")).mapToLong(Long::parseLong).toArray();
    int subscribers = args.integer("subscribers", 1000);
    int topics = args.integer("topics", 200);
    double rate = args.decimal("rate", 200);
    int after = args.integer("after", 10);
    int perChild = args.integer("per-child", 7000);
    int reconnectInFlight = args.integer("reconnect-in-flight", 0);
    String topic = args.string("topic", "storm-" + Long.toString(System.nanoTime(), 36));

    List<Process> children = new ArrayList<>();
    List<BlockingQueue<JsonObject>> lines = new ArrayList<>();
    long connectStart = System.nanoTime();
    for (int first = 0; first < subscribers; first += perChild) {
      Process child = new ProcessBuilder(javaBin(), "-Xmx512m", "-XX:+UseSerialGC", "-cp", jarPath(),
        FailoverStorm.class.getName(), "--child", "--url", victim, "--survivors", survivors,
        "--first", Integer.toString(first), "--count", Integer.toString(Math.min(perChild, subscribers - first)),
        "--topics", Integer.toString(topics), "--topic", topic, "--in-flight", args.string("in-flight", "200"),
        "--reconnect-in-flight", Integer.toString(reconnectInFlight), "--backoff-ms", args.string("backoff-ms", "100"))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      children.add(child);
      lines.add(reader(child));
    }
    int connected = 0;
    for (BlockingQueue<JsonObject> queue : lines) {
      connected += next(queue, "connected", 300).getInteger("count");
    }
    double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
    log("%d/%d streams on %s in %.1f s; publishing %.0f/s to %s", connected, subscribers, victim, connectSeconds, rate,
      survivors);

    StormPublisher publisher = new StormPublisher(survivors, topic, topics, args.integer("payload-bytes", 100));
    publisher.start(rate);
    long liveStart = System.nanoTime();
    // Every topic gets a publish each topics/rate seconds: allow three rounds and a minute.
    long liveTimeout = (long) (3 * topics / rate) + 60;
    boolean allLive = true;
    for (BlockingQueue<JsonObject> queue : lines) {
      long left = liveTimeout - (System.nanoTime() - liveStart) / 1_000_000_000L;
      allLive &= queue.poll(Math.max(1, left), TimeUnit.SECONDS) != null;
    }
    double liveSeconds = (System.nanoTime() - liveStart) / 1e9;
    log("every stream live after %.1f s of publishing (%s); killing %d", liveSeconds, allLive ? "all" : "timed out", killPid);

    long[] loaderPids = new long[children.size() + 1];
    loaderPids[0] = ProcessHandle.current().pid();
    for (int i = 0; i < children.size(); i++) {
      loaderPids[i + 1] = children.get(i).pid();
    }
    List<StormReport.Sample> samples = java.util.Collections.synchronizedList(new ArrayList<>());
    StormReport.Sample atKill = sample(serverPids, loaderPids);
    java.util.concurrent.ScheduledExecutorService sampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(() -> samples.add(sample(serverPids, loaderPids)), 100, 100, TimeUnit.MILLISECONDS);
    BitSet ackedBeforeKill = publisher.acked();
    long killedAt = Clock.micros();
    ProcessHandle.of(killPid).ifPresent(ProcessHandle::destroyForcibly);
    List<PrintWriter> inputs = new ArrayList<>();
    for (Process child : children) {
      PrintWriter in = new PrintWriter(child.getOutputStream(), true);
      in.println("kill " + killedAt + " " + Base64.getEncoder().encodeToString(ackedBeforeKill.toByteArray()));
      inputs.add(in);
    }
    Thread.sleep(after * 1000L);
    publisher.stop();
    BitSet acked = publisher.acked();
    int waitSeconds = args.integer("catch-up", 60);
    for (PrintWriter in : inputs) {
      in.println("stop " + waitSeconds * 1000L + " " + Base64.getEncoder().encodeToString(acked.toByteArray()));
    }
    List<JsonObject> results = new ArrayList<>();
    for (BlockingQueue<JsonObject> queue : lines) {
      JsonObject result = queue.poll(waitSeconds + 30L, TimeUnit.SECONDS);
      results.add(result == null ? new JsonObject().put("type", "result").put("missing", true) : result);
    }
    sampler.shutdown();
    sampler.awaitTermination(1, TimeUnit.SECONDS);
    samples.add(sample(serverPids, loaderPids));
    children.forEach(Process::destroyForcibly);

    JsonObject summary = StormReport.summary(results, atKill, samples, killedAt)
      .put("subscribers", subscribers).put("connected", connected).put("topics", topics).put("rate", rate)
      .put("afterKillSeconds", after).put("reconnectInFlightPerChild", reconnectInFlight)
      .put("connectSeconds", round(connectSeconds)).put("allLiveBeforeKill", allLive)
      .put("secondsToLive", round(liveSeconds))
      .put("publisher", publisher.summary().put("acknowledgedBeforeKill", ackedBeforeKill.cardinality()));
    System.out.println(summary.encode());
    System.exit(0);
  }

  private static BlockingQueue<JsonObject> reader(Process child) {
    BlockingQueue<JsonObject> queue = new LinkedBlockingQueue<>();
    Thread thread = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          queue.add(new JsonObject(line));
        }
      } catch (Exception e) {
        // The child is gone: its missing lines time out.
      }
    });
    thread.setDaemon(true);
    thread.start();
    return queue;
  }

  private static JsonObject next(BlockingQueue<JsonObject> queue, String type, int seconds) throws Exception {
    JsonObject line = queue.poll(seconds, TimeUnit.SECONDS);
    if (line == null || !type.equals(line.getString("type"))) {
      throw new IllegalStateException("a child sent " + line + " instead of " + type);
    }
    return line;
  }

  private static StormReport.Sample sample(long[] servers, long[] loader) {
    double load = 0;
    try {
      load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (Exception e) {
      // none
    }
    return new StormReport.Sample(Clock.micros(), ticks(servers), ticks(loader), load);
  }

  /** utime + stime of the processes, 0 for one that is gone. */
  private static long ticks(long[] pids) {
    long sum = 0;
    for (long pid : pids) {
      try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        sum += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      } catch (Exception e) {
        // gone
      }
    }
    return sum;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String jarPath() throws Exception {
    return Path.of(FailoverStorm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  private static void log(String format, Object... values) {
    System.err.println("storm: " + String.format(Locale.ROOT, format, values));
  }
}
