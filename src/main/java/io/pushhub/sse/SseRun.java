package io.pushhub.sse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pushhub.broadcast.EventRun;
import io.pushhub.broadcast.FrameEncoder;
import io.vertx.core.buffer.Buffer;

/**
 * The SSE frames of a run of events back to back, for the streams that write the run whole: made
 * once per run on its instance, each form on first use.
 */
public final class SseRun {

  private final EventRun run;
  private final FrameEncoder<SseFrame, SseRun> encoder;
  private ByteBuf chunks;
  private Buffer frames;
  private int frameBytes = -1;

  public SseRun(EventRun run, FrameEncoder<SseFrame, SseRun> encoder) {
    this.run = run;
    this.encoder = encoder;
  }

  /** How many events it holds. */
  public int size() {
    return run.size();
  }

  private SseFrame frame(int i) {
    return run.get(i).encoded(encoder);
  }

  /** The events' HTTP/1.1 chunks back to back (each event its own chunk); shared, never released. */
  public ByteBuf chunks() {
    if (chunks == null) {
      int total = 0;
      for (int i = 0; i < run.size(); i++) {
        total += frame(i).chunk().readableBytes();
      }
      // Direct, or the native transport would copy it again for every stream.
      ByteBuf all = Unpooled.directBuffer(total);
      for (int i = 0; i < run.size(); i++) {
        ByteBuf chunk = frame(i).chunk();
        all.writeBytes(chunk, chunk.readerIndex(), chunk.readableBytes());
      }
      chunks = Unpooled.unreleasableBuffer(all);
    }
    return chunks;
  }

  /** The events' frames back to back, for streams whose response frames the chunks itself (HTTP/2). */
  public Buffer frames() {
    if (frames == null) {
      frames = Buffer.buffer();
      for (int i = 0; i < run.size(); i++) {
        frames.appendBuffer(frame(i).frame());
      }
    }
    return frames;
  }

  /** Total frame bytes, what a stream counts as written. */
  public int frameBytes() {
    if (frameBytes < 0) {
      int total = 0;
      for (int i = 0; i < run.size(); i++) {
        total += frame(i).frame().length();
      }
      frameBytes = total;
    }
    return frameBytes;
  }
}
