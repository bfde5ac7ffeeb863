package io.pushhub.sse;

import io.pushhub.broadcast.EventRun;
import io.pushhub.broadcast.LocalSubscribers;
import io.pushhub.broadcast.Subscriber;
import io.pushhub.event.EncodedEvent;
import io.pushhub.event.SseEncoder;
import io.pushhub.metrics.HubMetrics;
import io.pushhub.replay.ReplayStore;
import io.pushhub.replay.ReplayStore.Gap;
import io.pushhub.sse.StreamPositions.Verdict;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * One SSE stream, confined to the event loop of its verticle instance.
 *
 * <p>It keeps, per topic, the position of the last event it sent, and writes an event only if it
 * directly follows that position: an event already covered is a duplicate and dropped; an event
 * further ahead means a gap, filled from the replay store before going on. While it replays
 * (at start, or filling a gap) live events wait in a queue bounded by {@code sse.maxQueuedBytes}.
 * That is the whole seam between replay and live: whatever order things arrive in, each topic's
 * events go out once, in position order, with every gap either filled or reported by a
 * {@code resync} event.
 */
final class SseConnection implements Subscriber {

  private static final Logger log = LoggerFactory.getLogger(SseConnection.class);

  private enum State { STARTING, LIVE, CATCHING_UP, CLOSED }

  private final StreamInfo info;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final String[] topics;
  private final StreamPositions positions;
  private final int[] slots;
  private final StreamSettings settings;
  private final ReplayStore store;
  private final LocalSubscribers subscribers;
  private final LocalStreams streams;
  private final HubMetrics metrics;
  private final StreamDeps deps;
  private final HeldEvents held;
  private State state = State.STARTING;
  /** The topic whose gap was just filled from the store; a gap there again is reported, not refetched. */
  private int lastCatchUp = -1;
  /** What the store said of that gap: NONE means it returned all it holds, so a gap left is one it never saw. */
  private Gap lastCatchUpGap = Gap.NONE;
  private long lastWriteMillis;
  private StreamWriter writer;
  private long expiryTimer = -1;
  /** Written to since the last flush; flushed after the current delivery slice or the loop's queued work. */
  boolean dirty;

  SseConnection(StreamInfo info, HttpServerRequest request, StreamDeps deps) {
    this.info = info;
    this.request = request;
    this.response = request.response();
    this.topics = info.topics().toArray(String[]::new);
    this.positions = new StreamPositions(topics);
    this.slots = new int[topics.length];
    this.settings = deps.settings();
    this.store = deps.store();
    this.subscribers = deps.subscribers();
    this.streams = deps.streams();
    this.metrics = deps.metrics();
    this.deps = deps;
    this.held = new HeldEvents(settings.maxQueuedBytes());
  }

  /**
   * Sends the headers and {@code retry:} at once, subscribes, then replays from {@code cursor}.
   * At {@code expiresAtMillis} (the token's {@code exp}) the stream gets {@code event: expired} and ends.
   */
  void start(String cursor, long expiresAtMillis) {
    long startedNanos = System.nanoTime();
    response.closeHandler(v -> finish(CloseReason.CLIENT_CLOSED));
    response.exceptionHandler(e -> finish(CloseReason.CLIENT_CLOSED));
    Buffer retry = SseEncoder.retry(settings.retryMillis());
    writer = StreamWriter.open(request, settings, retry);
    // Both header maps are done with (the request's read, the response's sent) but would live as
    // long as the stream: a browser's dozen request headers are a fifth of an idle stream's heap.
    request.headers().clear();
    response.headers().clear();
    info.countBytes(retry.length());
    lastWriteMillis = streams.now();
    streams.add(this);
    if (expiresAtMillis != Long.MAX_VALUE) {
      expiryTimer = streams.vertx().setTimer(Math.max(1, expiresAtMillis - System.currentTimeMillis()), t -> expire());
    }
    for (int i = 0; i < topics.length; i++) {
      subscribers.add(topics[i], i, this);
    }
    List<Future<ReplayStore.Replay>> reads = Resume.reads(store, topics, positions.tags(), cursor);
    Future.all(reads).onComplete(ar -> {
      if (state != State.CLOSED) {
        if (ar.failed()) {
          log.warn("replay failed {} {}", kv("requestId", info.requestId()), kv("connection", info.id()), ar.cause());
          close(CloseReason.ERROR);
        } else {
          begin(reads.stream().map(Future::result).toList(), cursor, startedNanos);
        }
      }
    });
  }

  private void begin(List<ReplayStore.Replay> replays, String cursor, long startedNanos) {
    Map<Gap, List<String>> resync = Resume.startAll(positions, topics, replays);
    if (cursor != null) {
      metrics.replayed(resync.isEmpty());
    }
    Buffer first = Buffer.buffer();
    resync.forEach((gap, affected) -> first.appendBuffer(Resume.resyncEvent(gap, affected)));
    ReplayPieces pieces = ReplayPieces.ofAll(positions, replays.stream().map(ReplayStore.Replay::events).toList());
    replay(first, pieces, () -> {
      String current = positions.cursor();
      if (pieces.appended() == 0 && !current.equals(cursor)) {
        write(SseEncoder.idOnly(current));
      }
      if (cursor != null) {
        metrics.resumedInNanos(System.nanoTime() - startedNanos);
      }
      goLive();
    });
  }

  /** Writes {@code first}, then the replay; live events wait in {@link #held} meanwhile. */
  private void replay(Buffer first, ReplayPieces pieces, Runnable then) {
    pieces.send(first, writer, streams, info, () -> state != State.CLOSED, then);
  }

  @Override
  public boolean onEvent(int topicIndex, EncodedEvent event) {
    if (state == State.LIVE) {
      Verdict verdict = positions.verdict(topicIndex, event.event());
      if (verdict == Verdict.WRITE) {
        send(topicIndex, event);
        return true;
      } else if (verdict == Verdict.GAP) {
        enqueue(topicIndex, event);
        catchUp(topicIndex);
      }
    } else if (state != State.CLOSED) {
      enqueue(topicIndex, event);
    }
    return false;
  }

  @Override
  public int onRun(int topicIndex, EventRun run) {
    if (run.size() > 1 && state == State.LIVE && topics.length == 1 && run.consecutive()
      && positions.followedBy(topicIndex, run.first().event().position())) {
      positions.advance(topicIndex, run.last().event().position());
      writer.writeShared(run);
      info.countEvents(run.size());
      if (lastCatchUp == topicIndex) {
        lastCatchUp = -1;
      }
      written(run.frameBytes());
      return run.size();
    }
    return Subscriber.super.onRun(topicIndex, run);
  }

  private void enqueue(int topicIndex, EncodedEvent event) {
    if (!held.hold(topicIndex, event)) {
      close(CloseReason.SLOW_CONSUMER);
    }
  }

  private void goLive() {
    state = State.LIVE;
    while (state == State.LIVE && !held.isEmpty()) {
      HeldEvents.Held next = held.peek();
      Verdict verdict = positions.verdict(next.topicIndex(), next.event().event());
      if (verdict == Verdict.GAP && next.topicIndex() != lastCatchUp) {
        catchUp(next.topicIndex());
        return;
      }
      if (verdict == Verdict.GAP && lastCatchUpGap == Gap.NONE) {
        // The store holds less than this node has seen live: its view of the cluster is stale (a
        // node that was cut off). Skipping would lose events the cluster has: resume elsewhere.
        close(CloseReason.STORE_BEHIND);
        return;
      }
      held.poll();
      if (verdict == Verdict.GAP) {
        // The store could not fill this gap: say so, then go on from here.
        write(Resume.resyncEvent(Gap.EVICTED, List.of(topics[next.topicIndex()])));
        positions.skipTo(next.topicIndex(), next.event().event());
        verdict = Verdict.WRITE;
      }
      if (verdict == Verdict.WRITE) {
        send(next.topicIndex(), next.event());
        metrics.delivered(1);
      }
    }
  }

  private void catchUp(int i) {
    state = State.CATCHING_UP;
    lastCatchUp = i;
    store.readAfter(topics[i], positions.at(i)).onComplete(ar -> {
      if (state == State.CLOSED) {
        return;
      }
      if (ar.failed()) {
        log.warn("gap fill failed {} {}", kv("requestId", info.requestId()), kv("connection", info.id()), ar.cause());
        close(CloseReason.ERROR);
        return;
      }
      ReplayStore.Replay replay = ar.result();
      lastCatchUpGap = replay.gap();
      Buffer first = Buffer.buffer();
      if (replay.gap() != Gap.NONE) {
        first.appendBuffer(Resume.resyncEvent(replay.gap(), List.of(topics[i])));
        positions.startAt(i, replay);
      }
      replay(first, ReplayPieces.ofTopic(positions, i, replay.events()), this::goLive);
    });
  }

  private void send(int i, EncodedEvent event) {
    positions.advance(i, event.event().position());
    if (topics.length == 1) {
      writer.writeShared(event);
      written(event.frame().length());
    } else {
      byte[] id = SseEncoder.idLine(positions.cursor());
      write(Buffer.buffer(id.length + event.body().length()).appendBytes(id).appendBuffer(event.body()));
    }
    info.countEvent();
    if (lastCatchUp == i) {
      lastCatchUp = -1;
    }
  }

  private void write(Buffer buffer) {
    // Never an empty chunk: in HTTP/1.1 chunked encoding that is the end of the body.
    if (state != State.CLOSED && buffer.length() > 0) {
      writer.write(buffer);
      written(buffer.length());
    }
  }

  /** After a write: a backlog past the bound closes the stream rather than hold the others. */
  private void written(int bytes) {
    info.countBytes(bytes);
    lastWriteMillis = streams.now();
    streams.needsFlush(this);
    if (writer.backlogged()) {
      close(CloseReason.SLOW_CONSUMER);
    }
  }

  void flush() {
    dirty = false;
    if (state != State.CLOSED) {
      writer.flush();
    }
  }

  void heartbeatIfSilentSince(long silentSinceMillis) {
    if (state != State.CLOSED && lastWriteMillis <= silentSinceMillis) {
      write(SseEncoder.HEARTBEAT);
    }
  }

  /** Ends the stream from the hub's side. */
  void close(CloseReason reason) {
    if (state == State.CLOSED) {
      return;
    }
    finish(reason);
    if (reason == CloseReason.SLOW_CONSUMER) {
      // Its socket is backed up: drop the connection rather than queue a last chunk behind it.
      if (request.version() == HttpVersion.HTTP_2) {
        response.reset();
      } else {
        request.connection().close();
      }
    } else {
      response.end();
    }
  }

  private void expire() {
    expiryTimer = -1;
    if (state != State.CLOSED) {
      write(SseEncoder.control("expired", "{\"reason\":\"token-expired\"}"));
      close(CloseReason.TOKEN_EXPIRED);
    }
  }

  private void finish(CloseReason reason) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    deps.limits().closeStream(info.client());
    if (expiryTimer >= 0) {
      streams.vertx().cancelTimer(expiryTimer);
    }
    for (int i = 0; i < topics.length; i++) {
      subscribers.remove(topics[i], i, this);
    }
    streams.remove(this);
    held.clear();
    log.info("stream closed {} {} {} {} {} {} {}", kv("requestId", info.requestId()), kv("connection", info.id()),
      kv("reason", reason.label()), kv("durationMs", streams.now() - info.openedAtMillis()),
      kv("events", info.eventsSent()), kv("bytes", info.bytesSent()), kv("topics", topics.length));
    streams.closed(reason);
  }

  StreamInfo info() {
    return info;
  }

  @Override
  public int[] slots() {
    return slots;
  }
}
