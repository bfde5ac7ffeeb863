package io.pushhub.broadcast;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pushhub.event.EncodedEvent;
import io.vertx.core.buffer.Buffer;

import java.util.Arrays;

/**
 * Consecutive events of one topic that reached a verticle instance in the same event-loop turn,
 * handed to its streams together. Under load events queue between turns, a run holds several,
 * and a stream that is in step writes the whole run as one buffer, built once per instance:
 * one write and one flush for k events instead of k. Confined to its instance's event loop.
 */
public final class EventRun {

  private EncodedEvent[] events = new EncodedEvent[4];
  private int size;
  private boolean consecutive = true;
  private ByteBuf chunks;
  private Buffer frames;
  private int frameBytes = -1;

  void add(EncodedEvent event) {
    if (size > 0 && !last().event().position().isFollowedBy(event.event().position())) {
      consecutive = false;
    }
    if (size == events.length) {
      events = Arrays.copyOf(events, size * 2);
    }
    events[size++] = event;
  }

  public int size() {
    return size;
  }

  public EncodedEvent get(int i) {
    return events[i];
  }

  public EncodedEvent first() {
    return events[0];
  }

  public EncodedEvent last() {
    return events[size - 1];
  }

  /** Whether each event directly follows the one before it, so the run can be written whole. */
  public boolean consecutive() {
    return consecutive;
  }

  /** The events' HTTP/1.1 chunks back to back (each event its own chunk); shared, never released. */
  public ByteBuf chunks() {
    if (size == 1) {
      return events[0].chunk();
    }
    if (chunks == null) {
      int total = 0;
      for (int i = 0; i < size; i++) {
        total += events[i].chunk().readableBytes();
      }
      // Direct, or the native transport would copy it again for every stream.
      ByteBuf all = Unpooled.directBuffer(total);
      for (int i = 0; i < size; i++) {
        ByteBuf chunk = events[i].chunk();
        all.writeBytes(chunk, chunk.readerIndex(), chunk.readableBytes());
      }
      chunks = Unpooled.unreleasableBuffer(all);
    }
    return chunks;
  }

  /** The events' frames back to back, for streams whose response frames the chunks itself (HTTP/2). */
  public Buffer frames() {
    if (size == 1) {
      return events[0].frame();
    }
    if (frames == null) {
      frames = Buffer.buffer();
      for (int i = 0; i < size; i++) {
        frames.appendBuffer(events[i].frame());
      }
    }
    return frames;
  }

  /** Total frame bytes, what a stream counts as written. */
  public int frameBytes() {
    if (frameBytes < 0) {
      int total = 0;
      for (int i = 0; i < size; i++) {
        total += events[i].frame().length();
      }
      frameBytes = total;
    }
    return frameBytes;
  }
}
