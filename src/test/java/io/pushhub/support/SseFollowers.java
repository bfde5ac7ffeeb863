package io.pushhub.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Many SSE streams on one Vert.x client and no thread of their own, each kept frame by frame as
 * the hub wrote it, the id-only frame that tells a live stream where it starts included (a
 * decoder that follows EventSource's rules never shows that one). A stream that fails over
 * resumes, when it ends, as EventSource behind a load balancer would: after a short delay, on
 * the next of its ports, with the last id it saw. For frames of ASCII text, as the hub's ids are.
 */
public final class SseFollowers implements AutoCloseable {

  /** One frame: {@code data} is null for an id-only frame, {@code id} is null for a frame without one. */
  public record Frame(String id, String event, String data) {
  }

  private static final long RECONNECT_DELAY_MILLIS = 100;

  private final Vertx vertx;
  private final HttpClient http;

  public SseFollowers(Vertx vertx) {
    this.vertx = vertx;
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false),
      new PoolOptions().setHttp1MaxSize(100_000));
  }

  /**
   * Opens a stream of {@code uri} on {@code ports.get(0)}, resuming from {@code lastEventId} when
   * not null; with {@code failover}, each time it ends it resumes on the next port, round robin.
   */
  public Stream open(List<Integer> ports, String uri, String lastEventId, boolean failover) {
    Stream stream = new Stream(ports, uri, lastEventId, failover);
    vertx.runOnContext(v -> stream.connect());
    return stream;
  }

  @Override
  public void close() {
    Await.result(http.close());
  }

  /** One stream; its frames are read from any thread. */
  public final class Stream {

    private final List<Integer> ports;
    private final String uri;
    private final boolean failover;
    private final List<Frame> frames = new ArrayList<>();
    private final List<Integer> answeredBy = new ArrayList<>();
    private final List<String> refusals = new ArrayList<>();
    private volatile long answeredNanos;
    private volatile String lastId;
    private volatile boolean open = true;
    private volatile boolean ended;
    private volatile HttpConnection connection;
    private int attempt;

    private Stream(List<Integer> ports, String uri, String lastEventId, boolean failover) {
      this.ports = List.copyOf(ports);
      this.uri = uri;
      this.lastId = lastEventId;
      this.failover = failover;
    }

    private void connect() {
      int port = ports.get(attempt++ % ports.size());
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI(uri);
      if (lastId != null) {
        options.putHeader("Last-Event-ID", lastId);
      }
      StringBuilder pending = new StringBuilder();
      // An end and a failure of one connection both say it ended: resume once.
      AtomicBoolean over = new AtomicBoolean();
      Runnable end = () -> {
        if (over.compareAndSet(false, true)) {
          onEnd();
        }
      };
      http.request(options).compose(req -> req.send()).onSuccess(resp -> {
        connection = resp.request().connection();
        if (!open) {
          connection.close();
          return;
        }
        if (resp.statusCode() != 200) {
          resp.body().onComplete(b -> {
            synchronized (this) {
              refusals.add(resp.statusCode() + " " + (b.succeeded() ? b.result() : ""));
            }
            end.run();
          });
          return;
        }
        synchronized (this) {
          answeredBy.add(port);
        }
        answeredNanos = System.nanoTime();
        resp.handler(buffer -> read(pending.append(buffer.toString())));
        resp.endHandler(v -> end.run());
        resp.exceptionHandler(e -> end.run());
      }).onFailure(e -> end.run());
    }

    /** Takes every whole frame off the front of {@code pending}. */
    private void read(StringBuilder pending) {
      for (int end = pending.indexOf("\n\n"); end >= 0; end = pending.indexOf("\n\n")) {
        String id = null;
        String event = null;
        String data = null;
        for (String line : pending.substring(0, end).split("\n")) {
          if (line.startsWith("id: ")) {
            id = line.substring(4);
          } else if (line.startsWith("event: ")) {
            event = line.substring(7);
          } else if (line.startsWith("data: ")) {
            data = data == null ? line.substring(6) : data + "\n" + line.substring(6);
          }
        }
        pending.delete(0, end + 2);
        if (id != null || data != null) {
          synchronized (this) {
            frames.add(new Frame(id, event == null ? "message" : event, data));
          }
          lastId = id == null ? lastId : id;
        }
      }
    }

    private void onEnd() {
      if (open && failover) {
        vertx.setTimer(RECONNECT_DELAY_MILLIS, t -> connect());
      } else {
        ended = true;
      }
    }

    public synchronized List<Frame> frames() {
      return List.copyOf(frames);
    }

    /** The ports of the connections that were answered with {@code 200}, in order. */
    public synchronized List<Integer> answeredBy() {
      return List.copyOf(answeredBy);
    }

    /** The answers other than {@code 200} it was given, as status and body. */
    public synchronized List<String> refusals() {
      return List.copyOf(refusals);
    }

    /** When ({@link System#nanoTime()}) its last connection was answered with {@code 200}. */
    public long answeredNanos() {
      return answeredNanos;
    }

    /** The last id received, or the one it was opened with. */
    public String lastId() {
      return lastId;
    }

    /** Whether its stream ended and it does not resume. */
    public boolean ended() {
      return ended;
    }

    /** Stops following: closes its connection, without resuming. */
    public void close() {
      open = false;
      HttpConnection current = connection;
      if (current != null) {
        current.close();
      }
    }
  }
}
