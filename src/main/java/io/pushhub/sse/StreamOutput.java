package io.pushhub.sse;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * One stream's writes through its {@link StreamWriter}, and their accounts: the bytes counted,
 * a flush asked of its instance, the time of the last write (for heartbeats), and whether its
 * backlog passed the bound. Each write answers false once it has: the stream must then close
 * rather than hold the others.
 */
final class StreamOutput {

  private final StreamWriter writer;
  private final StreamInfo info;
  private final LocalStreams streams;
  private final SseConnection owner;
  private long lastWriteMillis;

  private StreamOutput(StreamWriter writer, StreamInfo info, LocalStreams streams, SseConnection owner) {
    this.writer = writer;
    this.info = info;
    this.streams = streams;
    this.owner = owner;
    this.lastWriteMillis = streams.now();
  }

  /** Sends the headers and {@code opening} at once (see {@link StreamWriter#open}). */
  static StreamOutput open(HttpServerRequest request, StreamSettings settings, Buffer opening, StreamInfo info,
                           LocalStreams streams, SseConnection owner) {
    StreamWriter writer = StreamWriter.open(request, settings, opening);
    info.countBytes(opening.length());
    return new StreamOutput(writer, info, streams, owner);
  }

  /** An event's frame, the same bytes as every stream of one topic writes. */
  boolean shared(SseFrame frame) {
    writer.writeShared(frame);
    return written(frame.frame().length());
  }

  /** A run of consecutive events as one write. */
  boolean shared(SseRun run) {
    writer.writeShared(run);
    return written(run.frameBytes());
  }

  /** Bytes of this stream only; never an empty chunk, which in HTTP/1.1 chunked encoding ends the body. */
  boolean write(Buffer frames) {
    if (frames.length() == 0) {
      return true;
    }
    writer.write(frames);
    return written(frames.length());
  }

  private boolean written(int bytes) {
    info.countBytes(bytes);
    lastWriteMillis = streams.now();
    streams.needsFlush(owner);
    return !writer.backlogged();
  }

  void flush() {
    writer.flush();
  }

  boolean silentSince(long millis) {
    return lastWriteMillis <= millis;
  }

  /** For a replay, whose pieces go through unaccounted for here (each waits for the one before). */
  StreamWriter writer() {
    return writer;
  }
}
