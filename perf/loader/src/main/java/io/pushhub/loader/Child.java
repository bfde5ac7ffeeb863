package io.pushhub.loader;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A subscriber process: holds {@code count} SSE streams, records for each the publisher sequence
 * numbers it received and the latency of each, and reports when told to stop (a line on stdin).
 */
final class Child {

  private final String host;
  private final int port;
  private final int first;
  private final int count;
  private final int topics;
  private final String prefix;
  private final Stream[] streams;
  private final Histogram latency = new Histogram(60_000_000L, 3);
  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();

  /** One stream: its parse state and what it received. */
  private final class Stream {
    final BitSet seen = new BitSet();
    final byte[] line = new byte[256];
    int length;
    boolean overflow;
    int dup;

    void feed(Buffer buffer) {
      long now = Clock.micros();
      byte[] bytes = buffer.getBytes();
      int n = bytes.length;
      for (int i = 0; i < n; i++) {
        byte b = bytes[i];
        if (b == '\n' || b == '\r') {
          if (!overflow) {
            onLine(now);
          }
          length = 0;
          overflow = false;
        } else if (length < line.length) {
          line[length++] = b;
        } else {
          // Only the first bytes of a data line matter (sequence number and timestamp).
          onLine(now);
          overflow = true;
          length = 0;
        }
      }
    }

    private void onLine(long now) {
      // "data: <seq> <micros> ..."
      if (length < 8 || line[0] != 'd' || line[1] != 'a' || line[2] != 't' || line[3] != 'a' || line[4] != ':') {
        return;
      }
      int i = line[5] == ' ' ? 6 : 5;
      long seq = 0;
      while (i < length && line[i] >= '0' && line[i] <= '9') {
        seq = seq * 10 + (line[i++] - '0');
      }
      i++;
      long sent = 0;
      while (i < length && line[i] >= '0' && line[i] <= '9') {
        sent = sent * 10 + (line[i++] - '0');
      }
      synchronized (this) {
        if (seen.get((int) seq)) {
          dup++;
        } else {
          seen.set((int) seq);
        }
      }
      synchronized (latency) {
        latency.recordValue(Math.max(0, Math.min(now - sent, latency.getHighestTrackableValue())));
      }
    }
  }

  Child(Args args) {
    String[] url = args.string("url", "127.0.0.1:8080").replace("http://", "").split(":");
    this.host = url[0];
    this.port = Integer.parseInt(url[1]);
    this.first = args.integer("first", 0);
    this.count = args.integer("count", 1000);
    this.topics = args.integer("topics", 1);
    this.prefix = args.string("topic", "bench");
    this.streams = new Stream[count];
  }

  void run() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setPreferNativeTransport(true));
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setIdleTimeout(0),
      new PoolOptions().setHttp1MaxSize(count + 1).setMaxWaitQueueSize(-1));
    AtomicInteger next = new AtomicInteger();
    // Open streams with at most 200 connects in flight, as a storm of real clients would not all SYN at once.
    for (int k = 0; k < Math.min(200, count); k++) {
      vertx.runOnContext(v -> openNext(http, next));
    }
    while (connected.get() + failed.get() < count) {
      synchronized (this) {
        wait(50);
      }
    }
    System.out.println("{\"type\":\"connected\",\"count\":" + connected.get() + ",\"failed\":" + failed.get() + "}");
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    String command = in.readLine();
    if (command == null || !command.startsWith("stop ")) {
      System.exit(1);
    }
    BitSet acked = BitSet.valueOf(Base64.getDecoder().decode(command.substring(5).trim()));
    long received = 0;
    long lost = 0;
    long dups = 0;
    for (int s = 0; s < count; s++) {
      Stream stream = streams[s];
      int topic = (first + s) % topics;
      synchronized (stream == null ? this : stream) {
        for (int seq = acked.nextSetBit(0); seq >= 0; seq = acked.nextSetBit(seq + 1)) {
          if (seq % topics == topic) {
            if (stream != null && stream.seen.get(seq)) {
              received++;
            } else {
              lost++;
            }
          }
        }
        dups += stream == null ? 0 : stream.dup;
      }
    }
    ByteBuffer encoded;
    synchronized (latency) {
      encoded = ByteBuffer.allocate(latency.getNeededByteBufferCapacity());
      latency.encodeIntoCompressedByteBuffer(encoded);
    }
    byte[] bytes = new byte[encoded.position()];
    encoded.flip().get(bytes);
    System.out.println("{\"type\":\"result\",\"received\":" + received + ",\"lost\":" + lost + ",\"dup\":" + dups
      + ",\"histogram\":\"" + Base64.getEncoder().encodeToString(bytes) + "\"}");
    System.out.flush();
    System.exit(0);
  }

  private void openNext(HttpClient http, AtomicInteger next) {
    int s = next.getAndIncrement();
    if (s >= count) {
      return;
    }
    String uri = "/events?topic=" + prefix + "/" + ((first + s) % topics);
    Stream stream = new Stream();
    http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port).setURI(uri))
      .compose(req -> req.send())
      .onSuccess(resp -> {
        if (resp.statusCode() != 200) {
          failed.incrementAndGet();
        } else {
          streams[s] = stream;
          resp.handler(stream::feed);
          connected.incrementAndGet();
        }
        openNext(http, next);
      })
      .onFailure(e -> {
        failed.incrementAndGet();
        openNext(http, next);
      });
  }
}
