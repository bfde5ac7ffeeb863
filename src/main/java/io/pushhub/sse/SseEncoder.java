package io.pushhub.sse;

import io.pushhub.broadcast.EventRun;
import io.pushhub.broadcast.FrameEncoder;
import io.pushhub.event.Event;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Turns events into whole SSE frames. Data is split into one {@code data:} line per line of the
 * payload (LF, CRLF and CR all end a line), so a conforming client rebuilds the payload exactly;
 * the split works on UTF-8 bytes at ASCII CR/LF, so it never cuts a character.
 * {@code id} and {@code event} values are validated at publish time and never contain CR or LF.
 */
public final class SseEncoder {

  private static final byte[] ID = bytes("id: ");
  private static final byte[] EVENT = bytes("event: ");
  private static final byte[] DATA = bytes("data: ");
  private static final byte LF = '\n';
  private static final byte CR = '\r';

  /** Written to a stream that was silent for a heartbeat period, so that proxies keep it open. */
  public static final Buffer HEARTBEAT = SseFrame.shared(bytes(":\n\n"));

  /** pushhub's frames, as the fan-out makes them once per event for every stream of the node. */
  public static final FrameEncoder<SseFrame, SseRun> FRAMES = new FrameEncoder<>() {
    @Override
    protected SseFrame encode(Event event) {
      return SseEncoder.encode(event);
    }

    @Override
    protected SseRun join(EventRun run) {
      return new SseRun(run, this);
    }
  };

  private SseEncoder() {
  }

  /** {@code event}'s frame with its single-topic cursor as {@code id:}. */
  public static SseFrame encode(Event event) {
    byte[] body = body(event);
    byte[] idLine = idLine(event.cursor());
    byte[] frame = new byte[idLine.length + body.length];
    System.arraycopy(idLine, 0, frame, 0, idLine.length);
    System.arraycopy(body, 0, frame, idLine.length, body.length);
    return SseFrame.of(frame, body);
  }

  /** {@code retry:} line that opens every stream. */
  public static Buffer retry(int millis) {
    return Buffer.buffer("retry: " + millis + "\n\n");
  }

  /** An {@code id:} line for a multi-topic cursor, to be followed by an event body. */
  public static byte[] idLine(String cursor) {
    byte[] id = cursor.getBytes(StandardCharsets.US_ASCII);
    byte[] line = new byte[ID.length + id.length + 1];
    System.arraycopy(ID, 0, line, 0, ID.length);
    System.arraycopy(id, 0, line, ID.length, id.length);
    line[line.length - 1] = LF;
    return line;
  }

  /**
   * A frame with an {@code id:} and no data: EventSource records it as the last event id without
   * dispatching an event, so a stream that has not had an event yet still resumes exactly.
   */
  public static Buffer idOnly(String cursor) {
    return Buffer.buffer(idLine(cursor)).appendByte(LF);
  }

  /** A control event without {@code id:}, such as {@code resync} or {@code expired}. */
  public static Buffer control(String type, String json) {
    return Buffer.buffer("event: " + type + "\ndata: " + json + "\n\n");
  }

  /** The frame of {@code event} without its {@code id:} line. */
  public static byte[] body(Event event) {
    byte[] data = event.data().getBytes(StandardCharsets.UTF_8);
    int lines = 1;
    int breakBytes = 0;
    for (int i = 0; i < data.length; i++) {
      if (data[i] == LF || data[i] == CR) {
        breakBytes++;
        if (data[i] == LF || i + 1 == data.length || data[i + 1] != LF) {
          lines++;
        }
      }
    }
    byte[] type = event.type() == null ? null : event.type().getBytes(StandardCharsets.UTF_8);
    int size = (type == null ? 0 : EVENT.length + type.length + 1) + lines * (DATA.length + 1) + data.length - breakBytes + 1;
    byte[] out = new byte[size];
    int o = 0;
    if (type != null) {
      o = put(out, o, EVENT);
      o = put(out, o, type);
      out[o++] = LF;
    }
    int lineStart = 0;
    for (int i = 0; i <= data.length; i++) {
      boolean end = i == data.length;
      if (end || data[i] == LF || data[i] == CR) {
        o = put(out, o, DATA);
        System.arraycopy(data, lineStart, out, o, i - lineStart);
        o += i - lineStart;
        out[o++] = LF;
        if (!end && data[i] == CR && i + 1 < data.length && data[i + 1] == LF) {
          i++;
        }
        lineStart = i + 1;
      }
    }
    out[o++] = LF;
    return out;
  }

  private static int put(byte[] out, int offset, byte[] part) {
    System.arraycopy(part, 0, out, offset, part.length);
    return offset + part.length;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
