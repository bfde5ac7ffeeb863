package io.pushhub.loader;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Resume storm against pushhub: publishes a marker and then {@code --behind} events on its own
 * topic, then opens {@code --clients} streams at once with {@code Last-Event-ID} = the marker's
 * cursor, and measures for each the time from connecting to its last missed event; {@code --rounds}
 * repeats it on fresh topics. Run it beside a normal loader to resume while others stream. Prints
 * one JSON line.
 *
 * <pre>java -cp pushhub-loader.jar io.pushhub.loader.ResumeStorm --url http://127.0.0.1:8080 --clients 1000 --behind 1000</pre>
 */
public final class ResumeStorm {

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    String[] url = args.string("url", "http://127.0.0.1:8080").replace("http://", "").split(":");
    String host = url[0];
    int port = Integer.parseInt(url[1]);
    int clients = args.integer("clients", 1000);
    int behind = args.integer("behind", 1000);
    String topic = args.string("topic", "resume-" + Long.toString(System.nanoTime(), 36));
    int timeoutSeconds = args.integer("timeout", 120);
    String padding = "x".repeat(Math.max(0, args.integer("payload-bytes", 100) - 10));

    int rounds = args.integer("rounds", 1);
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(1));
    HttpClient http = HttpClient.newHttpClient();
    Histogram times = new Histogram(600_000_000L, 3);
    AtomicInteger completed = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    double stormSeconds = 0;
    boolean finished = true;
    for (int round = 0; round < rounds; round++) {
      String roundTopic = rounds == 1 ? topic : topic + "-" + round;
      long started = System.nanoTime();
      finished &= storm(vertx, http, host, port, roundTopic, clients, behind, padding, timeoutSeconds, times, completed,
        failed);
      stormSeconds += (System.nanoTime() - started) / 1e9;
    }
    System.out.println(new JsonObject().put("clients", clients).put("behind", behind).put("rounds", rounds)
      .put("completed", completed.get()).put("failed", failed.get()).put("timedOut", !finished)
      .put("p50Ms", times.getValueAtPercentile(50) / 1000.0).put("p99Ms", times.getValueAtPercentile(99) / 1000.0)
      .put("maxMs", times.getMaxValue() / 1000.0).put("stormSeconds", Math.round(stormSeconds * 100) / 100.0)
      .put("eventsPerSec", Math.round(completed.get() * (double) behind / stormSeconds)).encode());
    vertx.close();
    System.exit(0);
  }

  /** One round: the marker and the missed events published, then every client resumes at once; whether all finished. */
  private static boolean storm(Vertx vertx, HttpClient http, String host, int port, String topic, int clients,
                               int behind, String padding, int timeoutSeconds, Histogram times,
                               AtomicInteger completed, AtomicInteger failed) throws Exception {
    String cursor = publish(http, host, port, topic, "marker").get(10, TimeUnit.SECONDS);
    // All at once: their order in the topic does not matter here, only that each arrives.
    List<CompletableFuture<String>> missed = new ArrayList<>();
    for (int i = 0; i < behind; i++) {
      missed.add(publish(http, host, port, topic, "r" + i + " " + padding));
    }
    CompletableFuture.allOf(missed.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    CountDownLatch done = new CountDownLatch(clients);
    NetClient net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(30_000).setTcpNoDelay(true));
    String request = "GET /events?topic=" + topic + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: text/event-stream\r\n"
      + "Last-Event-ID: " + cursor + "\r\n\r\n";
    // Connected from the client's event loop: Vert.x clients driven from a plain thread were seen to lose requests.
    vertx.runOnContext(go -> {
    for (int c = 0; c < clients; c++) {
      long start = System.nanoTime();
      int[] seen = {0};
      byte[] tail = new byte[8];
      net.connect(port, host).onSuccess(socket -> {
        socket.handler(buffer -> {
          seen[0] += countDataLines(buffer, tail);
          if (seen[0] >= behind) {
            synchronized (times) {
              times.recordValue(Math.min((System.nanoTime() - start) / 1000, times.getHighestTrackableValue()));
            }
            completed.incrementAndGet();
            socket.handler(null);
            socket.close();
            done.countDown();
          }
        });
        socket.write(request);
      }).onFailure(e -> {
        failed.incrementAndGet();
        done.countDown();
      });
    }
    });
    boolean finished = done.await(timeoutSeconds, TimeUnit.SECONDS);
    net.close();
    return finished;
  }

  /** "data: r…" lines in {@code buffer}, also when one is split across buffers ({@code tail} keeps the last bytes). */
  private static int countDataLines(Buffer buffer, byte[] tail) {
    byte[] bytes = buffer.getBytes();
    int count = 0;
    for (byte b : bytes) {
      System.arraycopy(tail, 1, tail, 0, tail.length - 1);
      tail[tail.length - 1] = b;
      // ...\ndata: r
      if (b == 'r' && tail[0] == '\n' && tail[1] == 'd' && tail[2] == 'a' && tail[3] == 't' && tail[4] == 'a'
        && tail[5] == ':' && tail[6] == ' ') {
        count++;
      }
    }
    return count;
  }

  private static CompletableFuture<String> publish(HttpClient http, String host, int port, String topic, String data) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/publish"))
      .header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("topic", topic).put("data", data).encode())).build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
      if (response.statusCode() != 200) {
        throw new IllegalStateException("publish answered " + response.statusCode() + " " + response.body());
      }
      return new JsonObject(response.body()).getString("id");
    });
  }
}
