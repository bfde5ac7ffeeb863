package io.pushhub.loader;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import org.HdrHistogram.Histogram;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Resume storm against pushhub: publishes a marker and then {@code --behind} events on its own
 * topic, then opens {@code --clients} streams at once with {@code Last-Event-ID} = the marker's
 * cursor, and measures for each the time from connecting to its last missed event. Run it beside
 * a normal loader to resume while others stream. Prints one JSON line.
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

    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(1));
    HttpClient http = vertx.createHttpClient();
    String cursor = publish(http, host, port, topic, "marker").await(10, TimeUnit.SECONDS);
    for (int i = 0; i < behind; i++) {
      publish(http, host, port, topic, "r" + i + " " + padding).await(10, TimeUnit.SECONDS);
    }

    Histogram times = new Histogram(600_000_000L, 3);
    AtomicInteger completed = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(clients);
    NetClient net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(30_000).setTcpNoDelay(true));
    String request = "GET /events?topic=" + topic + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: text/event-stream\r\n"
      + "Last-Event-ID: " + cursor + "\r\n\r\n";
    long stormStart = System.nanoTime();
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
    boolean finished = done.await(timeoutSeconds, TimeUnit.SECONDS);
    double stormSeconds = (System.nanoTime() - stormStart) / 1e9;
    System.out.println(new JsonObject().put("clients", clients).put("behind", behind).put("completed", completed.get())
      .put("failed", failed.get()).put("timedOut", !finished)
      .put("p50Ms", times.getValueAtPercentile(50) / 1000.0).put("p99Ms", times.getValueAtPercentile(99) / 1000.0)
      .put("maxMs", times.getMaxValue() / 1000.0).put("stormSeconds", Math.round(stormSeconds * 100) / 100.0)
      .put("eventsPerSec", Math.round(completed.get() * (double) behind / stormSeconds)).encode());
    vertx.close();
    System.exit(0);
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

  private static Future<String> publish(HttpClient http, String host, int port, String topic, String data) {
    return http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port).setURI("/publish")
        .putHeader("Content-Type", "application/json"))
      .compose(req -> req.send(new JsonObject().put("topic", topic).put("data", data).encode()))
      .compose(resp -> resp.body().map(body -> new JsonObject(body.toString()).getString("id")));
  }
}
