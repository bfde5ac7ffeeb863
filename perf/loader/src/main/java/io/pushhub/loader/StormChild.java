package io.pushhub.loader;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A process of {@link FailoverStorm}'s streams, all on one event loop: opens them on the node to
 * be killed ({@code --in-flight} requests at a time), says when each has read a live event, and
 * when their node dies resumes each with its {@code Last-Event-ID} on the survivors in turn
 * (at most {@code --reconnect-in-flight} at a time, 0 for all at once), retrying a refusal after a
 * short backoff. Told "kill" (its time and the events acknowledged before it) and then "stop" (all
 * acknowledged events), it waits for the streams to have them and prints its {@link StormResult}.
 */
final class StormChild implements StormStream.Events {

  private final String host;
  private final int port;
  private final String[] survivorHosts;
  private final int[] survivorPorts;
  private final int first;
  private final int count;
  private final int topics;
  private final String prefix;
  private final int inFlight;
  private final int reconnectInFlight;
  private final int backoffMs;
  private final StormStream[] streams;
  private final StormResult result;
  private final AtomicInteger initialDone = new AtomicInteger();
  private final AtomicInteger connected = new AtomicInteger();
  private final ArrayDeque<StormStream> waiting = new ArrayDeque<>();
  private final Map<String, Long> refusals = new TreeMap<>();
  private Vertx vertx;
  private NetClient net;
  private Context context;
  private int next;
  private int liveCount;
  private boolean livePrinted;
  private int reconnecting;
  private int dupsShown;
  private boolean stopping;
  private long killedAt;
  /** Per topic, the last position acknowledged before the kill (-1: none); null until told. */
  private long[] targets;

  StormChild(Args args) {
    String[] url = args.string("url", "127.0.0.1:8080").replace("http://", "").split(":");
    this.host = url[0];
    this.port = Integer.parseInt(url[1]);
    String[] survivors = args.string("survivors", "127.0.0.1:8080").replace("http://", "").split(",");
    this.survivorHosts = new String[survivors.length];
    this.survivorPorts = new int[survivors.length];
    for (int i = 0; i < survivors.length; i++) {
      survivorHosts[i] = survivors[i].split(":")[0];
      survivorPorts[i] = Integer.parseInt(survivors[i].split(":")[1]);
    }
    this.first = args.integer("first", 0);
    this.count = args.integer("count", 1000);
    this.topics = args.integer("topics", 1);
    this.prefix = args.string("topic", "storm");
    this.inFlight = args.integer("in-flight", 200);
    this.reconnectInFlight = args.integer("reconnect-in-flight", 0);
    this.backoffMs = args.integer("backoff-ms", 100);
    this.streams = new StormStream[count];
    this.result = new StormResult(topics);
  }

  void run() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
    net = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(10_000));
    context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      for (int k = 0; k < Math.min(inFlight, count); k++) {
        openNext();
      }
      vertx.setPeriodic(100, id -> reportLive());
    });
    // Commands come only after "connected", but reading at once ends this process as soon as the parent is gone.
    Thread commands = new Thread(this::readCommands);
    commands.setDaemon(true);
    commands.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (initialDone.get() < count && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    print("{\"type\":\"connected\",\"count\":" + connected.get() + ",\"failed\":" + (count - connected.get()) + "}");
    commands.join();
  }

  private void readCommands() {
    try {
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] parts = line.split(" ");
        BitSet acked = BitSet.valueOf(Base64.getDecoder().decode(parts.length > 2 ? parts[2] : ""));
        long value = Long.parseLong(parts[1]);
        if (parts[0].equals("kill")) {
          context.runOnContext(v -> onKill(value, acked));
        } else if (parts[0].equals("stop")) {
          context.runOnContext(v -> onStop(value, acked));
        }
      }
    } catch (java.io.IOException e) {
      // as below
    }
    // The parent is gone.
    System.exit(1);
  }

  private static void print(String line) {
    System.out.println(line);
    System.out.flush();
  }

  private String request(StormStream stream, String target) {
    return "GET /events?topic=" + prefix + "/" + stream.topic + " HTTP/1.1\r\nHost: " + target
      + "\r\nAccept: text/event-stream\r\n" + stream.lastEventIdHeader() + "\r\n";
  }

  private void openNext() {
    if (next >= count) {
      return;
    }
    int s = next++;
    StormStream stream = new StormStream(first + s, (first + s) % topics, this);
    streams[s] = stream;
    net.connect(port, host).onSuccess(socket -> attach(stream, socket, request(stream, host)))
      .onFailure(e -> {
        initialDone.incrementAndGet();
        openNext();
      });
  }

  private void attach(StormStream stream, NetSocket socket, String request) {
    stream.reset(socket);
    socket.handler(stream::feed);
    socket.closeHandler(v -> closed(stream, socket));
    socket.write(request);
  }

  private void reportLive() {
    if (!livePrinted && initialDone.get() == count && liveCount >= connected.get()) {
      livePrinted = true;
      print("{\"type\":\"live\"}");
    }
  }

  @Override
  public void status(StormStream stream, int status) {
    long now = Clock.micros();
    if (stream.attempts == 0) {
      if (status == 200) {
        stream.live = true;
        connected.incrementAndGet();
      } else {
        stream.socket.close();
      }
      initialDone.incrementAndGet();
      openNext();
      return;
    }
    reconnecting--;
    if (status == 200) {
      if (stream.answeredAt == 0) {
        stream.answeredAt = now;
        result.answerLatency(now - stream.attemptStartedAt);
      }
      stream.failures = 0;
    } else {
      refused(Integer.toString(status));
      stream.failures++;
      stream.socket.close();
    }
    drain();
  }

  private void closed(StormStream stream, NetSocket socket) {
    if (stopping || stream.socket != socket) {
      return;
    }
    if (stream.attempts == 0 && stream.statusPending()) {
      initialDone.incrementAndGet();
      openNext();
      return;
    }
    if (!stream.live) {
      return;
    }
    if (stream.attempts > 0 && stream.statusPending()) {
      // Closed before any status: a refusal too.
      reconnecting--;
      refused("closed before status");
      stream.failures++;
    } else if (stream.answeredAt > 0 && stream.failures == 0) {
      stream.closesAfterAnswer++;
    }
    stream.socket = null;
    if (stream.failures == 0) {
      enqueue(stream);
    } else {
      vertx.setTimer(backoff(stream), id -> enqueue(stream));
    }
    drain();
  }

  /** The base doubled with each refusal in a row, at most 1 s, plus up to half the base at random. */
  private long backoff(StormStream stream) {
    long delay = Math.min(1000, (long) backoffMs << Math.min(stream.failures - 1, 4));
    return delay + ThreadLocalRandom.current().nextLong(backoffMs / 2 + 1);
  }

  private void refused(String reason) {
    refusals.merge(reason, 1L, Long::sum);
  }

  private void enqueue(StormStream stream) {
    if (!stopping) {
      waiting.add(stream);
      drain();
    }
  }

  private void drain() {
    while (!waiting.isEmpty() && (reconnectInFlight == 0 || reconnecting < reconnectInFlight)) {
      resume(waiting.poll());
    }
  }

  /** One attempt on a survivor, the survivors taken in turn from one that depends on the stream. */
  private void resume(StormStream stream) {
    int survivor = (stream.index + stream.attempts++) % survivorHosts.length;
    stream.attemptStartedAt = Clock.micros();
    stream.resumedWith = stream.cursor == null ? "(none)" : new String(stream.cursor, java.nio.charset.StandardCharsets.UTF_8);
    reconnecting++;
    String target = survivorHosts[survivor];
    net.connect(survivorPorts[survivor], target).onSuccess(socket -> attach(stream, socket, request(stream, target)))
      .onFailure(e -> {
        reconnecting--;
        refused("connect " + e.getClass().getSimpleName());
        stream.failures++;
        vertx.setTimer(backoff(stream), id -> enqueue(stream));
        drain();
      });
  }

  @Override
  public void event(StormStream stream, long k, long sent, long now) {
    if (k % topics != stream.topic) {
      result.unexpected++;
      return;
    }
    long position = k / topics;
    if (position <= stream.last) {
      stream.dup++;
      if (++dupsShown <= 20) {
        System.err.printf("storm: dup: stream %d (topic %d) read position %d after %d, %s%n", stream.index, stream.topic,
          position, stream.last, stream.answeredAt == 0 ? "before any resume"
            : (stream.answeredAt - killedAt) / 1000 + " ms after the kill it resumed with Last-Event-ID " + stream.resumedWith);
      }
      return;
    }
    if (stream.last >= 0 && position > stream.last + 1) {
      result.gap(stream.topic, stream.last + 1, position - 1);
    }
    if (stream.first < 0) {
      stream.first = position;
      liveCount++;
    }
    stream.last = position;
    stream.lastAt = now;
    if (stream.answeredAt > 0 && sent < stream.answeredAt) {
      result.resumed++;
    }
    if (targets != null && stream.reachedAt == 0 && position >= targets[stream.topic]) {
      stream.reachedAt = now;
    }
  }

  @Override
  public void resync(StormStream stream) {
    result.resyncs++;
  }

  private void onKill(long at, BitSet acked) {
    killedAt = at;
    targets = StormResult.lastPositions(acked, topics);
    for (StormStream stream : streams) {
      if (stream != null && stream.last >= targets[stream.topic]) {
        stream.reachedAt = stream.last >= 0 ? stream.lastAt : at;
      }
    }
  }

  private void onStop(long waitMillis, BitSet acked) {
    long[] finals = StormResult.lastPositions(acked, topics);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    vertx.setPeriodic(100, id -> {
      boolean all = true;
      for (StormStream stream : streams) {
        // After a kill a stream is done once resumed on a survivor and holding its topic's last acknowledged event.
        all &= stream == null || !stream.live || stream.first < 0
          || stream.last >= finals[stream.topic] && (killedAt == 0 || stream.answeredAt > 0);
      }
      if (all || System.nanoTime() > deadline) {
        stopping = true;
        print(result.json(streams, acked, killedAt, refusals).encode());
        System.exit(0);
      }
    });
  }
}
