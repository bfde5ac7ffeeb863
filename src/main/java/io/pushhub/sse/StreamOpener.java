package io.pushhub.sse;

import io.pushhub.broadcast.LocalSubscribers;
import io.pushhub.config.HubConfig;
import io.pushhub.error.HubException;
import io.pushhub.http.Clients;
import io.pushhub.http.RequestIds;
import io.pushhub.limits.Limits;
import io.pushhub.metrics.HubMetrics;
import io.pushhub.replay.ReplayStore;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Opens the streams of one verticle instance, for every protocol: whether the node takes streams,
 * the per-client limits, the stream's identity, then its {@link SseConnection} with the
 * protocol's {@link StreamFlow}.
 */
public final class StreamOpener {

  private static final AtomicLong CONNECTION_COUNTER = new AtomicLong();

  private final String nodeId;
  private final Clients clients;
  private final StreamDeps deps;
  private final Supplier<HubException> refusal;

  public StreamOpener(String nodeId, HubConfig config, ReplayStore store, LocalSubscribers subscribers,
                      LocalStreams streams, HubMetrics metrics, Supplier<HubException> refusal, Limits limits) {
    this.nodeId = nodeId;
    this.clients = new Clients(config.http());
    this.deps = new StreamDeps(StreamSettings.of(config.sse()), store, subscribers, streams, metrics, limits);
    this.refusal = refusal;
  }

  /** Throws the node's refusal of new streams (draining, cut off), if it refuses them now. */
  public void checkTaking() {
    HubException notTaken = refusal.get();
    if (notTaken != null) {
      throw notTaken;
    }
  }

  /**
   * Opens a stream for a request whose rights were checked; fails the request when its client is
   * over its limits, and does nothing when the client left meanwhile.
   *
   * @param subject the token's subject, {@code null} without a token
   * @param topics what the stream follows, as its close log and the admin API show it
   * @param keys how many keys its flow subscribes under
   * @param expiresAtMillis when its token expires, {@link Long#MAX_VALUE} for never
   */
  public void open(RoutingContext ctx, String subject, List<String> topics, int keys, long expiresAtMillis,
                   Function<SseConnection, StreamFlow> flow) {
    if (ctx.response().closed()) {
      return; // the client left while its token was being checked: no stream to open
    }
    String client = clients.key(ctx.request(), subject);
    try {
      deps.limits().openStream(client);
    } catch (HubException refused) {
      ctx.fail(refused);
      return;
    }
    String id = nodeId + "-" + Long.toString(CONNECTION_COUNTER.incrementAndGet(), 36);
    StreamInfo info = new StreamInfo(id, RequestIds.of(ctx), clients.remote(ctx.request()), subject, client, topics,
      System.currentTimeMillis());
    new SseConnection(info, ctx.request(), deps, keys, flow).start(expiresAtMillis);
  }

  /**
   * What a stream resumes from: its {@code Last-Event-ID} header, else the query parameter
   * {@code queryName} (each protocol spells it its own way); empty counts as absent.
   */
  public static String lastEventId(HttpServerRequest request, Map<String, List<String>> query, String queryName) {
    String header = request.getHeader("Last-Event-ID");
    if (header != null && !header.isEmpty()) {
      return header;
    }
    List<String> fromQuery = query.get(queryName);
    return fromQuery == null || fromQuery.get(0).isEmpty() ? null : fromQuery.get(0);
  }

  StreamDeps deps() {
    return deps;
  }

  /** What a stream may hold while it replays ({@code sse.maxQueuedBytes}). */
  public int maxQueuedBytes() {
    return deps.settings().maxQueuedBytes();
  }

  /** Most topics of one stream of pushhub's own ({@code sse.maxTopicsPerConnection}). */
  int maxTopics() {
    return deps.settings().maxTopics();
  }
}
