package io.pushhub.loader;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes at a fixed rate by the clock, keeping which sequence numbers were acknowledged. The
 * first {@code warmup} seconds' events carry a "w" before their number: subscribers parse them
 * the same way (so their code is warm too) and leave them out of the results. With several
 * targets, event k goes to target k mod n. Every refusal, warm-up included, is counted by its
 * status and the body's error code and message, and by the 10 s window it was sent in.
 */
final class Publisher {

  private static final int WINDOW_SECONDS = 10;

  final BitSet acked = new BitSet();
  final AtomicLong errors = new AtomicLong();
  final Histogram latency = new Histogram(60_000_000L, 3);
  /** "status code: message" → count, warm-up included. */
  final Map<String, Long> refusals = new TreeMap<>();
  /** "start second of the window (warm-up first)" → refusals sent in it. */
  final Map<Integer, Long> refusalsByWindow = new TreeMap<>();
  private final String[] hosts;
  private final int[] ports;
  private final String path;
  private final String topic;
  private final int topics;
  private final String padding;
  /** "json" (pushhub's /publish), "raw" (the data itself to {@code path?topic=T}: Nchan's publisher) or "form" (Mercure's). */
  private final String format;
  private long start;

  Publisher(String urls, String path, String topic, int topics, int payload, String format) {
    String[] targets = urls.replace("http://", "").split(",");
    this.hosts = new String[targets.length];
    this.ports = new int[targets.length];
    for (int i = 0; i < targets.length; i++) {
      String[] parts = targets[i].split(":");
      hosts[i] = parts[0];
      ports[i] = Integer.parseInt(parts[1]);
    }
    this.format = format;
    this.path = path;
    this.topic = topic;
    this.topics = topics;
    this.padding = "x".repeat(Math.max(0, payload - 30));
  }

  /** @param measuredStart runs once, as the first measured event goes out */
  void run(double rate, int warmup, int duration, Runnable measuredStart) throws InterruptedException {
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(1));
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
      new PoolOptions().setHttp1MaxSize(32).setMaxWaitQueueSize(-1));
    long warm = Math.round(rate * warmup);
    long total = warm + Math.round(rate * duration);
    CountDownLatch done = new CountDownLatch((int) total);
    start = System.nanoTime();
    long[] sent = {0};
    vertx.setPeriodic(1, id -> {
      long due = Math.min(total, (long) ((System.nanoTime() - start) / 1e9 * rate) + 1);
      while (sent[0] < due) {
        long k = sent[0]++;
        if (k == warm) {
          measuredStart.run();
        }
        publish(http, (int) (k % hosts.length), (int) (k < warm ? k : k - warm), k < warm, done);
      }
      if (sent[0] >= total) {
        vertx.cancelTimer(id);
      }
    });
    done.await();
    vertx.close();
  }

  JsonObject refusalsJson() {
    JsonObject byReason = new JsonObject();
    JsonObject byWindow = new JsonObject();
    synchronized (refusals) {
      refusals.forEach(byReason::put);
      refusalsByWindow.forEach((second, count) -> byWindow.put(second + "s", count));
    }
    return new JsonObject().put("byReason", byReason).put("bySecondSent", byWindow);
  }

  private void publish(HttpClient http, int target, int seq, boolean warm, CountDownLatch done) {
    long sentAt = Clock.micros();
    int window = (int) ((System.nanoTime() - start) / 1_000_000_000L / WINDOW_SECONDS * WINDOW_SECONDS);
    String data = (warm ? "w" : "") + seq + " " + sentAt + " " + padding;
    String target0 = topic + "/" + (seq % topics);
    boolean raw = format.equals("raw");
    Buffer body = switch (format) {
      case "raw" -> Buffer.buffer(data);
      case "form" -> Buffer.buffer("topic=" + URLEncoder.encode(target0, StandardCharsets.UTF_8)
        + "&data=" + URLEncoder.encode(data, StandardCharsets.UTF_8));
      default -> Buffer.buffer(new JsonObject().put("topic", target0).put("data", data).encode());
    };
    String type = switch (format) {
      case "raw" -> "text/plain";
      case "form" -> "application/x-www-form-urlencoded";
      default -> "application/json";
    };
    http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(hosts[target]).setPort(ports[target])
        .setURI(raw ? path + "?topic=" + target0 : path)
        .putHeader("Content-Type", type))
      .compose(req -> req.send(body))
      .compose(resp -> resp.body().map(b -> resp.statusCode() / 100 == 2 ? null : resp.statusCode() + " " + reason(b)))
      .onComplete(ar -> {
        String refusal = ar.failed() ? "io " + ar.cause().getClass().getSimpleName() : ar.result();
        if (refusal != null) {
          synchronized (refusals) {
            refusals.merge(refusal, 1L, Long::sum);
            refusalsByWindow.merge(window, 1L, Long::sum);
          }
        }
        if (!warm) {
          if (refusal == null) {
            synchronized (acked) {
              acked.set(seq);
            }
            synchronized (latency) {
              latency.recordValue(Math.min(Clock.micros() - sentAt, latency.getHighestTrackableValue()));
            }
          } else {
            errors.incrementAndGet();
          }
        }
        done.countDown();
      });
  }

  private static String reason(Buffer body) {
    try {
      JsonObject error = body.toJsonObject();
      return error.getString("error") + ": " + error.getString("message");
    } catch (RuntimeException e) {
      return "(no JSON body)";
    }
  }
}
