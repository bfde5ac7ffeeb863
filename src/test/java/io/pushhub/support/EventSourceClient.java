package io.pushhub.support;

import io.pushhub.client.SseEvent;
import io.pushhub.client.SseDecoder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Behaves like a browser's EventSource: when its stream ends or fails, it reconnects after a
 * short delay with the last event id it saw, for as long as it is open.
 */
public final class EventSourceClient implements AutoCloseable {

  private final Vertx vertx;
  private final HttpClient http;
  private final String host;
  private final int port;
  private final String uri;
  private final List<SseEvent> frames = new ArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile String lastEventId;
  private volatile boolean open = true;

  private EventSourceClient(Vertx vertx, String host, int port, String uri, String lastEventId) {
    this.vertx = vertx;
    this.host = host;
    this.port = port;
    this.uri = uri;
    this.lastEventId = lastEventId == null ? "" : lastEventId;
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  }

  public static EventSourceClient open(Vertx vertx, int port, String uri, String lastEventId) {
    return open(vertx, "127.0.0.1", port, uri, lastEventId);
  }

  public static EventSourceClient open(Vertx vertx, String host, int port, String uri, String lastEventId) {
    EventSourceClient client = new EventSourceClient(vertx, host, port, uri, lastEventId);
    vertx.runOnContext(v -> client.connect());
    return client;
  }

  private void connect() {
    if (!open) {
      return;
    }
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
      .setURI(uri);
    if (!lastEventId.isEmpty()) {
      options.putHeader("Last-Event-ID", lastEventId);
    }
    http.request(options).compose(req -> req.send()).onSuccess(resp -> {
      if (resp.statusCode() != 200) {
        resp.body().onComplete(b -> retry());
        return;
      }
      connections.incrementAndGet();
      SseDecoder parser = new SseDecoder(this::onFrame, c -> { }, lastEventId);
      resp.handler(buffer -> {
        parser.feed(buffer.getBytes());
        lastEventId = parser.lastEventId();
      });
      resp.endHandler(v -> retry());
      resp.exceptionHandler(e -> retry());
    }).onFailure(e -> retry());
  }

  private void retry() {
    if (open) {
      vertx.setTimer(100, t -> connect());
    }
  }

  private synchronized void onFrame(SseEvent frame) {
    frames.add(frame);
  }

  public synchronized List<SseEvent> frames() {
    return List.copyOf(frames);
  }

  /** Data of the default-type events. */
  public synchronized List<String> data() {
    return frames.stream().filter(f -> f.event().equals("message")).map(SseEvent::data).toList();
  }

  public int connections() {
    return connections.get();
  }

  public String lastEventId() {
    return lastEventId;
  }

  @Override
  public void close() {
    open = false;
    http.close();
  }
}
