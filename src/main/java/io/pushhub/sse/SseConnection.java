package io.pushhub.sse;

import io.pushhub.broadcast.EventRun;
import io.pushhub.broadcast.Subscriber;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * One SSE stream, confined to the event loop of its verticle instance: its life from the headers
 * to its close, and its writes. What it subscribes to and the order of its events, replayed and
 * live, are its protocol's {@link StreamFlow}'s.
 */
public final class SseConnection implements Subscriber {

  private static final Logger log = LoggerFactory.getLogger(SseConnection.class);

  private final StreamInfo info;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final int[] slots;
  private final StreamDeps deps;
  private final LocalStreams streams;
  private final StreamFlow flow;
  private StreamOutput out;
  private boolean closed;
  private long expiryTimer = -1;
  /** Written to since the last flush; flushed after the current delivery slice or the loop's queued work. */
  boolean dirty;

  /**
   * @param keys how many keys the flow subscribes under (see {@link Subscriber#slots})
   * @param flow the stream's protocol, made for this connection
   */
  SseConnection(StreamInfo info, HttpServerRequest request, StreamDeps deps, int keys,
                Function<SseConnection, StreamFlow> flow) {
    this.info = info;
    this.request = request;
    this.response = request.response();
    this.slots = new int[keys];
    this.deps = deps;
    this.streams = deps.streams();
    this.flow = flow.apply(this);
  }

  /**
   * Sends the headers and {@code retry:} at once, then starts its flow (subscribe, replay, live).
   * At {@code expiresAtMillis} (the token's {@code exp}) the stream gets {@code event: expired} and ends.
   */
  void start(long expiresAtMillis) {
    response.closeHandler(v -> finish(CloseReason.CLIENT_CLOSED));
    response.exceptionHandler(e -> finish(CloseReason.CLIENT_CLOSED));
    StreamSettings settings = deps.settings();
    out = StreamOutput.open(request, settings, SseEncoder.retry(settings.retryMillis()), info, streams, this);
    // Both header maps are done with (the request's read, the response's sent) but would live as
    // long as the stream: a browser's dozen request headers are a fifth of an idle stream's heap.
    request.headers().clear();
    response.headers().clear();
    streams.add(this);
    if (expiresAtMillis != Long.MAX_VALUE) {
      expiryTimer = streams.vertx().setTimer(Math.max(1, expiresAtMillis - System.currentTimeMillis()), t -> expire());
    }
    flow.start();
  }

  @Override
  public int onRun(int topicIndex, EventRun run) {
    return closed ? 0 : flow.onRun(topicIndex, run);
  }

  public boolean closed() {
    return closed;
  }

  /** Bytes of this stream only, unless it has ended. */
  public void write(Buffer buffer) {
    if (!closed) {
      closeUnlessKept(out.write(buffer));
    }
  }

  /** An event's frame shared by every stream that writes it, counted as one event sent. */
  public void writeShared(SseFrame frame) {
    if (!closed) {
      closeUnlessKept(out.shared(frame));
      info.countEvent();
    }
  }

  /** A run of events written whole, its frames joined once for every stream that writes it. */
  public void writeShared(SseRun run) {
    if (!closed) {
      closeUnlessKept(out.shared(run));
      info.countEvents(run.size());
    }
  }

  /** Writes {@code first}, then {@code pieces} as the socket takes them, then runs {@code then}. */
  public void replay(Buffer first, ReplayPieces pieces, Runnable then) {
    pieces.send(first, out.writer(), streams, info, () -> !closed, then);
  }

  /** After a write: a backlog past the bound closes the stream rather than hold the others. */
  void closeUnlessKept(boolean kept) {
    if (!kept) {
      close(CloseReason.SLOW_CONSUMER);
    }
  }

  void flush() {
    dirty = false;
    if (!closed) {
      out.flush();
    }
  }

  void heartbeatIfSilentSince(long silentSinceMillis) {
    if (!closed && out.silentSince(silentSinceMillis)) {
      write(SseEncoder.HEARTBEAT);
    }
  }

  /** Ends the stream from the hub's side. */
  public void close(CloseReason reason) {
    if (closed) {
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
    if (!closed) {
      write(SseEncoder.control("expired", "{\"reason\":\"token-expired\"}"));
      close(CloseReason.TOKEN_EXPIRED);
    }
  }

  private void finish(CloseReason reason) {
    if (closed) {
      return;
    }
    closed = true;
    deps.limits().closeStream(info.client());
    if (expiryTimer >= 0) {
      streams.vertx().cancelTimer(expiryTimer);
    }
    flow.stop();
    streams.remove(this);
    log.info("stream closed {} {} {} {} {} {} {}", kv("requestId", info.requestId()), kv("connection", info.id()),
      kv("reason", reason.label()), kv("durationMs", streams.now() - info.openedAtMillis()),
      kv("events", info.eventsSent()), kv("bytes", info.bytesSent()), kv("topics", info.topics().size()));
    streams.closed(reason);
  }

  public StreamInfo info() {
    return info;
  }

  @Override
  public int[] slots() {
    return slots;
  }
}
