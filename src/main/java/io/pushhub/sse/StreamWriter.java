package io.pushhub.sse;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * How a stream's bytes reach its socket. Writes are not flushed one by one: the instance flushes
 * the streams a delivery slice wrote to once the slice is done, and other writes once the loop's
 * queued work is ({@link LocalStreams}), so under load several events leave in one syscall.
 */
interface StreamWriter {

  /**
   * Sends the stream's headers and {@code opening} (its {@code retry:} line) at once, through
   * Vert.x's response (which leaves it in the chunked-content state), and returns the writer for
   * the rest: straight to the channel for plain HTTP/1.1, else through the response.
   */
  static StreamWriter open(HttpServerRequest request, StreamSettings settings, Buffer opening) {
    HttpServerResponse response = request.response();
    response.setChunked(true)
      .putHeader("Content-Type", "text/event-stream; charset=utf-8")
      .putHeader("Cache-Control", "no-cache")
      .putHeader("X-Accel-Buffering", "no")
      .setWriteQueueMaxSize(settings.maxQueuedBytes());
    response.write(opening);
    ChannelWriter direct = ChannelWriter.of(request);
    return direct != null ? direct : new ResponseWriter(response);
  }

  /** Writes an event shared by many streams: its frame with the single-topic {@code id:}. */
  void writeShared(SseFrame event);

  /** Writes a run of consecutive shared events as one write. */
  void writeShared(SseRun run);

  /** Writes bytes of this stream only. */
  void write(Buffer frames);

  void flush();

  /**
   * Writes and flushes bytes of this stream only; the future completes once they are in the
   * kernel (at once when its socket buffer had room).
   */
  Future<Void> writeThrough(Buffer frames);

  /** Unsent bytes inside the hub (not counting kernel buffers) passed {@code sse.maxQueuedBytes}. */
  boolean backlogged();
}
