package io.pushhub.sse;

import io.pushhub.broadcast.EventRun;
import io.pushhub.event.EncodedEvent;
import io.vertx.core.buffer.Buffer;

/**
 * How a stream's bytes reach its socket. Writes are not flushed one by one: the instance flushes
 * every stream written to once its pending deliveries are done ({@link LocalStreams}), so under
 * load several events leave in one write and one syscall.
 */
interface StreamWriter {

  /** Writes an event shared by many streams: its frame with the single-topic {@code id:}. */
  void writeShared(EncodedEvent event);

  /** Writes a run of consecutive shared events as one write. */
  void writeShared(EventRun run);

  /** Writes bytes of this stream only. */
  void write(Buffer frames);

  void flush();

  /** Unsent bytes inside the hub (not counting kernel buffers) passed {@code sse.maxQueuedBytes}. */
  boolean backlogged();
}
