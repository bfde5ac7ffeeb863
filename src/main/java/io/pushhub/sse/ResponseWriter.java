package io.pushhub.sse;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** Through Vert.x's response API: for HTTP/2 streams, and wherever the channel is not ours to use. */
final class ResponseWriter implements StreamWriter {

  private final HttpServerResponse response;

  ResponseWriter(HttpServerResponse response) {
    this.response = response;
  }

  @Override
  public void writeShared(SseFrame event) {
    response.write(event.frame());
  }

  @Override
  public void writeShared(SseRun run) {
    response.write(run.frames());
  }

  @Override
  public void write(Buffer frames) {
    response.write(frames);
  }

  @Override
  public void flush() {
    // Vert.x flushes each write itself.
  }

  @Override
  public Future<Void> writeThrough(Buffer frames) {
    return response.write(frames);
  }

  @Override
  public boolean backlogged() {
    return response.writeQueueFull();
  }
}
