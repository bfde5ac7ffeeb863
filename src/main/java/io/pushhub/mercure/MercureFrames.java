package io.pushhub.mercure;

import io.pushhub.broadcast.EventRun;
import io.pushhub.broadcast.FrameEncoder;
import io.pushhub.event.Event;
import io.pushhub.sse.SseFrame;
import io.pushhub.sse.SseRun;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Encodes a Mercure update as one whole SSE frame: {@code event:} (when typed), {@code retry:}
 * (when set), {@code id:}, then one {@code data:} line per line of the payload (CRLF, CR and LF
 * all end a line, so a conforming client rebuilds the payload exactly; an empty payload is one
 * empty {@code data:} line), then an empty line. Meant to run once per update, the same buffer
 * going to every subscriber.
 */
public final class MercureFrames {

  /** The Mercure endpoint's frames, made once per event on a node and shared by its streams. */
  public static final FrameEncoder<SseFrame, SseRun> FRAMES = new FrameEncoder<>() {
    @Override
    protected SseFrame encode(Event event) {
      byte[] frame = MercureFrames.encode(event).getBytes();
      return SseFrame.of(frame, frame);
    }

    @Override
    protected SseRun join(EventRun run) {
      return new SseRun(run, this);
    }
  };

  private MercureFrames() {
  }

  /** A stored event as a Mercure update: its Mercure id, type, retry and data. */
  public static Buffer encode(Event event) {
    long retry = event.mercure() == null ? 0 : event.mercure().retryMillis();
    return encode(MercureIds.of(event), event.type(), retry == 0 ? null : retry, event.data());
  }

  public static Buffer encode(String id, MercureUpdate update) {
    return encode(id, update.type(), update.retry(), update.data());
  }

  /**
   * @param type the event type, or {@code null}
   * @param retry the reconnection time in milliseconds, or {@code null}
   * @throws IllegalArgumentException when {@code id} or {@code type} would end its line early
   */
  public static Buffer encode(String id, String type, Long retry, String data) {
    StringBuilder frame = new StringBuilder(data.length() + id.length() + 32);
    if (type != null) {
      frame.append("event: ").append(singleLine("type", type)).append('\n');
    }
    if (retry != null) {
      frame.append("retry: ").append(retry.longValue()).append('\n');
    }
    frame.append("id: ").append(singleLine("id", id)).append('\n');
    frame.append("data: ");
    for (int i = 0; i < data.length(); i++) {
      char c = data.charAt(i);
      if (c == '\r' || c == '\n') {
        frame.append("\ndata: ");
        if (c == '\r' && i + 1 < data.length() && data.charAt(i + 1) == '\n') {
          i++;
        }
      } else {
        frame.append(c);
      }
    }
    frame.append("\n\n");
    return Buffer.buffer(frame.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String singleLine(String field, String value) {
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(field + " contains a line break or NUL");
    }
    return value;
  }
}
