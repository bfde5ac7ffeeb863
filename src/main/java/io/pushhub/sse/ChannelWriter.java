package io.pushhub.sse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Writes an HTTP/1.1 stream's chunks straight into the Netty pipeline, below Vert.x's response
 * encoder: the event's chunk (size line, frame, CRLF) is built once per event and the same bytes
 * go to every stream, with no per-write promise, encoder pass or flush. The headers and the last
 * chunk still go through Vert.x's response, which stays in the chunked-content state throughout.
 *
 * <p>Profiling showed most of a delivery's CPU in Vert.x's per-write path and in one flush
 * (syscall) per write; see docs/performance.md.
 */
final class ChannelWriter implements StreamWriter {

  private static final byte[] CRLF = {'\r', '\n'};

  private final ChannelHandlerContext encoder;

  private ChannelWriter(ChannelHandlerContext encoder) {
    this.encoder = encoder;
  }

  /** A channel writer for this request, or {@code null} when its connection is not plain HTTP/1.1. */
  static ChannelWriter of(HttpServerRequest request) {
    if (request.version() != HttpVersion.HTTP_1_1 || !(request.connection() instanceof ConnectionBase connection)) {
      return null;
    }
    ChannelHandlerContext encoder = connection.channelHandlerContext().pipeline().context("httpEncoder");
    return encoder == null ? null : new ChannelWriter(encoder);
  }

  @Override
  public void writeShared(SseFrame event) {
    encoder.write(event.chunk().retainedDuplicate(), encoder.voidPromise());
  }

  @Override
  public void writeShared(SseRun run) {
    encoder.write(run.chunks().retainedDuplicate(), encoder.voidPromise());
  }

  @Override
  public void write(Buffer frames) {
    encoder.write(chunk(frames), encoder.voidPromise());
  }

  @Override
  public Future<Void> writeThrough(Buffer frames) {
    Promise<Void> sent = Promise.promise();
    encoder.writeAndFlush(chunk(frames)).addListener(f -> {
      if (f.isSuccess()) {
        sent.complete();
      } else {
        sent.fail(f.cause());
      }
    });
    return sent.future();
  }

  private ByteBuf chunk(Buffer frames) {
    ByteBuf payload = ((BufferInternal) frames).getByteBuf();
    ByteBuf out = encoder.alloc().buffer(payload.readableBytes() + 12);
    ByteBufUtil.writeAscii(out, Integer.toHexString(payload.readableBytes()));
    return out.writeBytes(CRLF).writeBytes(payload).writeBytes(CRLF);
  }

  @Override
  public void flush() {
    encoder.flush();
  }

  @Override
  public boolean backlogged() {
    return !encoder.channel().isWritable();
  }
}
