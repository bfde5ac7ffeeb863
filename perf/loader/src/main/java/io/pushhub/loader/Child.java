package io.pushhub.loader;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
  /** "--protocol mercure": streams on /.well-known/mercure instead of /events. */
  private final boolean mercure;
  /** "--selector S" (Mercure only): every stream's one topic selector, "$i" replaced by its index; null for exact topics. */
  private final String selector;
  /** With a selector: whether each stream should get every event ("all") or none ("none"). */
  private final boolean expectAll;
  private final Stream[] streams;
  /** One histogram per event-loop thread: recording never contends. */
  private final List<Histogram> histograms = new CopyOnWriteArrayList<>();
  private final ThreadLocal<Histogram> latency = ThreadLocal.withInitial(() -> {
    Histogram h = new Histogram(60_000_000L, 3);
    histograms.add(h);
    return h;
  });
  /** With --timeline only. */
  private final Timeline timeline;
  private final ThreadLocal<Histogram> warmLatency = ThreadLocal.withInitial(() -> new Histogram(60_000_000L, 3));
  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();

  /**
   * One stream over a raw socket (no HTTP client: the loader must stay cheap next to the server):
   * the status line says whether it opened; chunk-size lines and headers are skipped; data lines
   * carry the publisher's sequence number and send time.
   */
  private final class Stream {
    final BitSet seen = new BitSet();
    final BitSet warmSeen = new BitSet();
    final byte[] line = new byte[256];
    int length;
    boolean overflow;
    int dup;
    boolean statusSeen;
    final int index;

    Stream(int index) {
      this.index = index;
    }

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
      if (!statusSeen) {
        statusSeen = true;
        boolean ok = length >= 12 && line[9] == '2' && line[10] == '0' && line[11] == '0';
        (ok ? connected : failed).incrementAndGet();
        if (ok) {
          streams[index] = this;
        }
        return;
      }
      // "data: <seq> <micros> ..."
      if (length < 8 || line[0] != 'd' || line[1] != 'a' || line[2] != 't' || line[3] != 'a' || line[4] != ':') {
        return;
      }
      int i = line[5] == ' ' ? 6 : 5;
      boolean warm = line[i] == 'w';
      if (warm) {
        i++;
      }
      if (line[i] < '0' || line[i] > '9') {
        return;
      }
      long seq = 0;
      while (i < length && line[i] >= '0' && line[i] <= '9') {
        seq = seq * 10 + (line[i++] - '0');
      }
      i++;
      long sent = 0;
      while (i < length && line[i] >= '0' && line[i] <= '9') {
        sent = sent * 10 + (line[i++] - '0');
      }
      // Warm-up events take the same path into throwaway records, so that this code is compiled when measuring starts.
      BitSet received = warm ? warmSeen : seen;
      synchronized (this) {
        if (received.get((int) seq)) {
          dup += warm ? 0 : 1;
        } else {
          received.set((int) seq);
        }
      }
      if (timeline != null && !warm) {
        timeline.record((int) seq, sent, now);
      }
      Histogram h = (warm ? warmLatency : latency).get();
      synchronized (h) {
        h.recordValue(Math.max(0, Math.min(now - sent, h.getHighestTrackableValue())));
      }
    }
  }

  private final String extraHeaders;

  Child(Args args) {
    String[] url = args.string("url", "127.0.0.1:8080").replace("http://", "").split(":");
    this.host = url[0];
    this.port = Integer.parseInt(url[1]);
    this.first = args.integer("first", 0);
    this.count = args.integer("count", 1000);
    this.topics = args.integer("topics", 1);
    this.prefix = args.string("topic", "bench");
    this.mercure = args.string("protocol", "events").equals("mercure");
    this.selector = args.flag("selector") ? args.string("selector", null) : null;
    this.expectAll = !args.string("expect", "all").equals("none");
    this.streams = new Stream[count];
    this.extraHeaders = args.flag("browser-headers") ? BROWSER_HEADERS : "";
    int timelineEvents = args.integer("timeline", 0);
    this.timeline = timelineEvents > 0 ? new Timeline(timelineEvents) : null;
  }

  /** What a browser's EventSource sends besides Host and Accept: about 900 bytes. */
  private static final String BROWSER_HEADERS = "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 "
    + "(KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36\r\nAccept-Language: en-GB,en;q=0.9,fr;q=0.8\r\n"
    + "Accept-Encoding: gzip, deflate, br, zstd\r\nCache-Control: no-cache\r\nPragma: no-cache\r\n"
    + "Referer: https://app.example.com/dashboard/orders?view=live\r\nOrigin: https://app.example.com\r\n"
    + "Sec-Fetch-Site: same-site\r\nSec-Fetch-Mode: cors\r\nSec-Fetch-Dest: empty\r\n"
    + "sec-ch-ua: \"Chromium\";v=\"156\", \"Not.A/Brand\";v=\"99\"\r\nsec-ch-ua-mobile: ?0\r\n"
    + "sec-ch-ua-platform: \"Linux\"\r\nCookie: _ga=GA1.1.1234567890.1764547200; session=" + "s".repeat(180)
    + "; prefs=dark\r\n";

  void run() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setPreferNativeTransport(true));
    NetClient http = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(10_000));
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
    long unexpected = 0;
    for (int s = 0; s < count; s++) {
      Stream stream = streams[s];
      int topic = (first + s) % topics;
      synchronized (stream == null ? this : stream) {
        for (int seq = acked.nextSetBit(0); seq >= 0; seq = acked.nextSetBit(seq + 1)) {
          if (selector != null && !expectAll) {
            unexpected += stream != null && stream.seen.get(seq) ? 1 : 0;
          } else if (selector != null || seq % topics == topic) {
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
    Histogram all = new Histogram(60_000_000L, 3);
    for (Histogram h : histograms) {
      synchronized (h) {
        all.add(h);
      }
    }
    ByteBuffer encoded = ByteBuffer.allocate(all.getNeededByteBufferCapacity());
    all.encodeIntoCompressedByteBuffer(encoded);
    byte[] bytes = new byte[encoded.position()];
    encoded.flip().get(bytes);
    System.out.println("{\"type\":\"result\",\"received\":" + received + ",\"lost\":" + lost + ",\"dup\":" + dups
      + ",\"unexpected\":" + unexpected
      + ",\"histogram\":\"" + Base64.getEncoder().encodeToString(bytes) + "\""
      + (timeline == null ? "" : ",\"timeline\":" + timeline.json()) + "}");
    System.out.flush();
    System.exit(0);
  }

  /** The request target of stream {@code index} (over all children). */
  private String path(int index) {
    String topic = prefix + "/" + (index % topics);
    if (!mercure) {
      return "/events?topic=" + topic;
    }
    String chosen = selector == null ? topic : selector.replace("$i", Integer.toString(index));
    return "/.well-known/mercure?topic=" + URLEncoder.encode(chosen, StandardCharsets.UTF_8);
  }

  private void openNext(NetClient net, AtomicInteger next) {
    int s = next.getAndIncrement();
    if (s >= count) {
      return;
    }
    String request = "GET " + path(first + s) + " HTTP/1.1\r\nHost: " + host
      + "\r\nAccept: text/event-stream\r\n" + extraHeaders + "\r\n";
    Stream stream = new Stream(s);
    net.connect(port, host).onSuccess(socket -> {
      socket.handler(stream::feed);
      socket.write(request);
      openNext(net, next);
    }).onFailure(e -> {
      failed.incrementAndGet();
      openNext(net, next);
    });
  }
}
