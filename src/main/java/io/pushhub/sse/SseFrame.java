package io.pushhub.sse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An event's SSE frame, made once for every local stream.
 *
 * @param frame the whole frame with its {@code id:} line, for streams that share that id
 * @param body the frame without its {@code id:} line, for streams of several topics, which
 *             write their own cursor before it
 * @param chunk {@code frame} as one HTTP/1.1 chunk (size line, frame, CRLF), written as is by
 *              streams that write to their channel directly; never released, freed by the GC
 */
public record SseFrame(Buffer frame, Buffer body, ByteBuf chunk) {

  /** A frame and its body from their bytes, each in a buffer of its own that every stream shares. */
  public static SseFrame of(byte[] frame, byte[] body) {
    byte[] size = (Integer.toHexString(frame.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    ByteBuffer chunk = ByteBuffer.allocateDirect(size.length + frame.length + 2).put(size).put(frame)
      .put((byte) '\r').put((byte) '\n').flip();
    return new SseFrame(shared(frame), shared(body), Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(chunk)));
  }

  /**
   * A direct buffer written to many sockets without a heap-to-direct copy per write. Its memory
   * belongs to a JDK {@link ByteBuffer}, so the garbage collector frees it, not a release call.
   */
  static Buffer shared(byte[] bytes) {
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    return BufferInternal.buffer(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct)));
  }
}
