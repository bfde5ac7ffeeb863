package io.pushhub.baseline;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The floor: a Vert.x SSE broadcast with no features at all. GET /events holds a stream;
 * POST /publish encodes the event once and writes it (one write and flush) to every stream of
 * every event loop. No topics, ids, replay, ordering, limits or metrics. Same wire format and
 * routes as pushhub, so the same loader drives both.
 */
public final class BareBroadcast extends AbstractVerticle {

  private static final List<BareBroadcast> INSTANCES = new CopyOnWriteArrayList<>();
  private final List<HttpServerResponse> streams = new ArrayList<>();

  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8090;
    Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(true));
    System.out.println("native transport: " + vertx.isNativeTransportEnabled());
    vertx.deployVerticle(() -> new BareBroadcast(port), new DeploymentOptions()
      .setInstances(Runtime.getRuntime().availableProcessors()));
  }

  private final int port;

  private BareBroadcast(int port) {
    this.port = port;
  }

  @Override
  public void start() {
    INSTANCES.add(this);
    vertx.createHttpServer().requestHandler(req -> {
      if (req.path().equals("/events")) {
        HttpServerResponse resp = req.response().setChunked(true)
          .putHeader("Content-Type", "text/event-stream; charset=utf-8").putHeader("Cache-Control", "no-cache");
        resp.write("retry: 3000\n\n");
        streams.add(resp);
        resp.closeHandler(v -> streams.remove(resp));
      } else if (req.path().equals("/publish")) {
        req.body().onSuccess(body -> {
          JsonObject event = body.toJsonObject();
          Buffer frame = Buffer.buffer("data: " + event.getString("data") + "\n\n");
          for (BareBroadcast instance : INSTANCES) {
            instance.context.runOnContext(v -> instance.streams.forEach(s -> s.write(frame)));
          }
          req.response().putHeader("Content-Type", "application/json").end("{\"id\":\"0\"}");
        });
      } else {
        req.response().setStatusCode(404).end();
      }
    }).listen(port);
  }
}
