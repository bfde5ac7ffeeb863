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

import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The publisher of {@link FailoverStorm}: publish number k goes to topic {@code k mod topics} at
 * position {@code k / topics}, paced by the clock over the targets, and its data starts with k.
 * A topic's next publish goes out only once its previous one is answered (else it is skipped), so
 * that position order is the order the hub gives the topic; the acknowledged k are kept in a bit set.
 */
final class StormPublisher {

  private final String[] hosts;
  private final int[] ports;
  private final String prefix;
  private final int topics;
  private final String padding;
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(1));
  private final HttpClient http;
  private final boolean[] busy;
  private final BitSet acked = new BitSet();
  /** "status code" or "io Exception" → count. */
  private final Map<String, Long> refusals = new TreeMap<>();
  private long sent;
  private long skipped;
  private int inFlight;
  private long timer = -1;

  StormPublisher(String urls, String prefix, int topics, int payload) {
    String[] targets = urls.replace("http://", "").split(",");
    this.hosts = new String[targets.length];
    this.ports = new int[targets.length];
    for (int i = 0; i < targets.length; i++) {
      hosts[i] = targets[i].split(":")[0];
      ports[i] = Integer.parseInt(targets[i].split(":")[1]);
    }
    this.prefix = prefix;
    this.topics = topics;
    this.busy = new boolean[topics];
    this.padding = "x".repeat(Math.max(0, payload - 30));
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
      new PoolOptions().setHttp1MaxSize(32).setMaxWaitQueueSize(-1));
  }

  void start(double rate) {
    long start = System.nanoTime();
    vertx.runOnContext(v -> timer = vertx.setPeriodic(1, id -> {
      long due = (long) ((System.nanoTime() - start) / 1e9 * rate) + 1;
      while (sent < due) {
        publish(sent++);
      }
    }));
  }

  /** Stops publishing and waits (at most 15 s) for the answers of those on their way. */
  void stop() throws InterruptedException {
    vertx.runOnContext(v -> vertx.cancelTimer(timer));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (inFlight() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    vertx.close();
  }

  BitSet acked() {
    synchronized (acked) {
      return (BitSet) acked.clone();
    }
  }

  JsonObject summary() {
    synchronized (refusals) {
      JsonObject byReason = new JsonObject();
      refusals.forEach(byReason::put);
      return new JsonObject().put("sent", sent - skipped).put("acknowledged", acked().cardinality())
        .put("skippedTopicBusy", skipped).put("refused", byReason);
    }
  }

  private synchronized int inFlight() {
    return inFlight;
  }

  private void publish(long k) {
    int topic = (int) (k % topics);
    if (busy[topic]) {
      skipped++;
      return;
    }
    busy[topic] = true;
    synchronized (this) {
      inFlight++;
    }
    int target = (int) ((topic + k / topics) % hosts.length);
    Buffer body = Buffer.buffer(new JsonObject().put("topic", prefix + "/" + topic)
      .put("data", k + " " + Clock.micros() + " " + padding).encode());
    http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(hosts[target]).setPort(ports[target])
        .setURI("/publish").putHeader("Content-Type", "application/json").setConnectTimeout(5_000).setIdleTimeout(5_000))
      .compose(request -> request.send(body))
      .compose(response -> response.body().map(b -> response.statusCode() == 200 ? null : Integer.toString(response.statusCode())))
      .onComplete(ar -> {
        String refusal = ar.failed() ? "io " + ar.cause().getClass().getSimpleName() : ar.result();
        if (refusal == null) {
          synchronized (acked) {
            acked.set((int) k);
          }
        } else {
          synchronized (refusals) {
            refusals.merge(refusal, 1L, Long::sum);
          }
        }
        busy[topic] = false;
        synchronized (this) {
          inFlight--;
        }
      });
  }
}
