package io.pushhub.support;

import io.pushhub.client.SseEvent;
import io.pushhub.client.SseDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

/** A real SSE client over a real socket, recording what it receives. */
public final class SseClient implements AutoCloseable {

  private final HttpClient http;
  private final List<SseEvent> events = new ArrayList<>();
  private final AtomicInteger comments = new AtomicInteger();
  private final SseDecoder parser = new SseDecoder(this::onEvent, c -> comments.incrementAndGet());
  private volatile HttpClientResponse response;
  private volatile boolean ended;
  private volatile String body = "";

  private SseClient(HttpClient http) {
    this.http = http;
  }

  /** Opens a stream and waits for the response headers. */
  public static SseClient open(Vertx vertx, int port, String uri, String lastEventId) {
    return open(vertx, port, uri, lastEventId == null ? java.util.Map.of() : java.util.Map.of("Last-Event-ID", lastEventId));
  }

  /** Opens a stream with these request headers and waits for the response headers. */
  public static SseClient open(Vertx vertx, int port, String uri, java.util.Map<String, String> headers) {
    SseClient client = new SseClient(vertx.createHttpClient());
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
      .setURI(uri);
    headers.forEach(options::putHeader);
    // Driven from an event loop: Vert.x's client used straight from a test thread was seen to lose
    // requests now and then (see TestHub, which uses the JDK client for the same reason).
    io.vertx.core.Promise<HttpClientResponse> answer = io.vertx.core.Promise.promise();
    vertx.runOnContext(v -> client.http.request(options)
      .compose(req -> req.send())
      .onSuccess(resp -> {
        resp.handler(buffer -> {
          if (resp.statusCode() == 200) {
            client.parser.feed(buffer.getBytes());
          } else {
            client.body += buffer.toString();
          }
        });
        resp.endHandler(e -> client.ended = true);
        resp.exceptionHandler(e -> client.ended = true);
      })
      .onComplete(answer));
    client.response = Await.result(answer.future());
    return client;
  }

  public static SseClient open(Vertx vertx, int port, String uri) {
    return open(vertx, port, uri, (String) null);
  }

  private synchronized void onEvent(SseEvent frame) {
    events.add(frame);
  }

  public synchronized List<SseEvent> events() {
    return List.copyOf(events);
  }

  /** Events of the default type, as their data. */
  public synchronized List<String> data() {
    return events.stream().filter(e -> e.event().equals("message")).map(SseEvent::data).toList();
  }

  public synchronized int eventCount() {
    return events.size();
  }

  public int status() {
    return response.statusCode();
  }

  public MultiMap headers() {
    return response.headers();
  }

  public String lastEventId() {
    return parser.lastEventId();
  }

  public Integer retry() {
    return parser.retry();
  }

  public int comments() {
    return comments.get();
  }

  public boolean ended() {
    return ended;
  }

  /** The body of a non-200 answer, once it has fully arrived. */
  public String errorBody() {
    await().atMost(Duration.ofSeconds(10)).until(() -> ended);
    return body;
  }

  @Override
  public void close() {
    Await.result(http.close());
  }
}
