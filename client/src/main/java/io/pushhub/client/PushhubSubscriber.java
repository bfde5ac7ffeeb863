package io.pushhub.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A stream of a hub's events for a Java service, kept alive across failures: it reconnects with
 * exponential backoff and full jitter (at least the hub's {@code Retry-After}), resumes with
 * {@code Last-Event-ID} so nothing is lost, reports {@code resync} and {@code expired} to its
 * listener, treats a stream silent for 2.5 heartbeats as dead, and stops for good on {@code 401}
 * or {@code 403}. Everything runs on one Vert.x context; listener calls come from it.
 */
public final class PushhubSubscriber {

  public enum State { IDLE, CONNECTING, OPEN, WAITING, STOPPED }

  /** What the stream delivers. Only {@link #event} is required. */
  public interface Listener {
    void event(SseEvent event);

    /** The hub could not replay everything since the cursor (docs/protocol.md): {@code {"topics": […], "reason": …}}. */
    default void resync(JsonObject details) {
    }

    /** The token expired; the subscriber reconnects with a fresh one from its token source. */
    default void expired() {
    }

    default void connected() {
    }

    /** The stream or an attempt ended; a reconnection follows in {@code delayMillis}. */
    default void disconnected(String reason, long delayMillis) {
    }

    /** {@code 401} or {@code 403}: retrying cannot help, so the subscriber stopped. */
    default void stopped(int status, String body) {
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final SubscriberOptions options;
  private final Listener listener;
  private final HttpClient http;
  private final Backoff backoff;
  private final String uri;
  private Supplier<Future<String>> tokens = () -> Future.succeededFuture(null);
  private volatile State state = State.IDLE;
  private volatile String lastEventId;
  private int failures;
  private long generation;
  private long lastActivityNanos;
  private long watchdog = -1;
  private HttpClientResponse current;

  private PushhubSubscriber(Vertx vertx, SubscriberOptions options, Listener listener) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.options = options;
    this.listener = listener;
    this.http = vertx.createHttpClient();
    this.backoff = new Backoff(options.backoffBaseMillis(), options.backoffCapMillis(),
      () -> ThreadLocalRandom.current().nextDouble());
    this.lastEventId = options.lastEventId();
    this.uri = options.baseUrl().replaceAll("/+$", "") + "/events?" + options.topics().stream()
      .map(t -> "topic=" + URLEncoder.encode(t, StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
  }

  public static PushhubSubscriber create(Vertx vertx, SubscriberOptions options, Listener listener) {
    return new PushhubSubscriber(vertx, options, listener);
  }

  /** Where each connection gets its bearer token (asked again on every reconnection); none by default. */
  public PushhubSubscriber tokens(Supplier<Future<String>> source) {
    this.tokens = source;
    return this;
  }

  public PushhubSubscriber start() {
    context.runOnContext(v -> {
      if (state == State.IDLE) {
        long checkEvery = Math.max(100, options.deadAfterMillis() / 5);
        watchdog = vertx.setPeriodic(checkEvery, id -> checkAlive());
        connect();
      }
    });
    return this;
  }

  public Future<Void> stop() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      halt();
      http.close().onComplete(done);
    });
    return done.future();
  }

  public State state() {
    return state;
  }

  /** The cursor of the last event received: where a new subscriber should resume from. */
  public String lastEventId() {
    return lastEventId;
  }

  private void connect() {
    long attempt = ++generation;
    state = State.CONNECTING;
    tokens.get().compose(token -> {
      RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(uri)
        .putHeader("Accept", "text/event-stream");
      if (token != null) {
        request.putHeader("Authorization", "Bearer " + token);
      }
      if (lastEventId != null && !lastEventId.isEmpty()) {
        request.putHeader("Last-Event-ID", lastEventId);
      }
      return http.request(request).compose(req -> req.send());
    }).onComplete(ar -> {
      if (attempt != generation || state == State.STOPPED) {
        if (ar.succeeded()) {
          ar.result().request().connection().close();
        }
        return;
      }
      if (ar.failed()) {
        retry(attempt, "connection failed: " + ar.cause().getMessage(), 0);
      } else if (ar.result().statusCode() == 200) {
        open(attempt, ar.result());
      } else {
        refused(attempt, ar.result());
      }
    });
  }

  private void open(long attempt, HttpClientResponse response) {
    state = State.OPEN;
    current = response;
    lastActivityNanos = System.nanoTime();
    SseDecoder decoder = new SseDecoder(this::dispatch, comment -> failures = 0,
      lastEventId == null ? "" : lastEventId);
    response.handler(buffer -> {
      if (attempt == generation) {
        lastActivityNanos = System.nanoTime();
        decoder.feed(buffer.getBytes());
        lastEventId = decoder.lastEventId(); // id-only frames move the cursor too
      }
    });
    response.endHandler(v -> retry(attempt, "stream ended", 0));
    response.exceptionHandler(e -> retry(attempt, "stream failed: " + e.getMessage(), 0));
    listener.connected();
  }

  private void dispatch(SseEvent event) {
    failures = 0;
    switch (event.event()) {
      case "resync" -> listener.resync(parse(event.data()));
      case "expired" -> listener.expired();
      default -> listener.event(event);
    }
  }

  private void refused(long attempt, HttpClientResponse response) {
    int status = response.statusCode();
    String retryAfter = response.getHeader("Retry-After");
    response.body().onComplete(body -> {
      String text = body.succeeded() ? body.result().toString() : "";
      if (status == 401 || status == 403) {
        halt();
        listener.stopped(status, text);
      } else {
        retry(attempt, "answered " + status + " " + text, Backoff.retryAfterSeconds(retryAfter));
      }
    });
  }

  /** Schedules the next connection, once per attempt whatever number of signals end it. */
  private void retry(long attempt, String reason, int retryAfterSeconds) {
    if (attempt != generation || state == State.STOPPED || state == State.WAITING) {
      return;
    }
    state = State.WAITING;
    dropCurrent();
    long delay = backoff.delayMillis(++failures, retryAfterSeconds);
    listener.disconnected(reason, delay);
    vertx.setTimer(Math.max(1, delay), id -> {
      if (state == State.WAITING && attempt == generation) {
        connect();
      }
    });
  }

  private void checkAlive() {
    if (state == State.OPEN && System.nanoTime() - lastActivityNanos > options.deadAfterMillis() * 1_000_000L) {
      retry(generation, "no data nor heartbeat for " + options.deadAfterMillis() + " ms", 0);
    }
  }

  private void halt() {
    state = State.STOPPED;
    generation++;
    vertx.cancelTimer(watchdog);
    dropCurrent();
  }

  private void dropCurrent() {
    if (current != null) {
      current.request().connection().close();
      current = null;
    }
  }

  private static JsonObject parse(String data) {
    try {
      return new JsonObject(data);
    } catch (RuntimeException e) {
      return new JsonObject().put("raw", data);
    }
  }
}
