package io.pushhub;

import io.pushhub.admin.NodeAdmin;
import io.pushhub.error.HubError;
import io.pushhub.metrics.MetricsListener;
import io.pushhub.sse.CloseReason;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * One hub node: started from its {@link HubOptions} by {@link Main} or by tests, it builds its
 * {@link NodeParts}, hands them to its verticle instances, and drains and leaves.
 */
public final class Hub {

  private final HubOptions options;
  private final NodeParts parts;
  /** What follows a drain asked for through the admin API: nothing in tests, leave and exit in {@link Main}. */
  private volatile Runnable afterAdminDrain = () -> { };
  private volatile int metricsPort;

  private Hub(HubOptions options) {
    this.options = options;
    this.parts = NodeParts.build(options);
  }

  /**
   * Starts a node. In a cluster, its delivery consumer is registered before any instance listens,
   * so no other node can miss it once this one takes streams.
   */
  public static Future<Hub> start(HubOptions options) {
    Hub hub = new Hub(options);
    NodeParts parts = hub.parts;
    Vertx vertx = options.vertx();
    DeploymentOptions deployment = new DeploymentOptions().setInstances(options.config().http().effectiveInstances());
    return parts.health().start()
      .compose(v -> vertx.deployVerticle(() -> new HubVerticle(parts), deployment))
      .compose(id -> NodeAdmin.register(vertx.eventBus(), parts.nodeId(),
        new LocalNode(parts, nodeName(), hub.httpAddress(), hub::drainFromAdmin)))
      .compose(consumer -> parts.nodes().join(parts.nodeId()))
      .compose(v -> MetricsListener.listen(vertx, options.config().metrics(), options.metricsRegistry()))
      .map(actualPort -> {
        hub.metricsPort = actualPort;
        return hub;
      });
  }

  /**
   * Stops taking streams and closes the open ones over {@code http.drainSeconds}, spread out.
   * Completes when they are all closed.
   */
  public Future<Void> drain() {
    if (parts.health().startDraining()) {
      parts.instances().closeAll(options.config().http().drainSeconds() * 1000L, CloseReason.DRAINING);
    }
    if (openStreams() == 0) {
      return Future.succeededFuture();
    }
    // Set on an event loop: a timer set from another thread (the shutdown hook's) can fire and be
    // cancelled before Vert.x has stored its handle, which threw and left the timer running.
    Promise<Void> drained = Promise.promise();
    Vertx vertx = options.vertx();
    parts.fanout().context().runOnContext(v -> vertx.setPeriodic(50, id -> {
      if (openStreams() == 0) {
        vertx.cancelTimer(id);
        drained.tryComplete();
      }
    }));
    return drained.future();
  }

  /** A drain asked for through the admin API: as on SIGTERM, then {@link #afterAdminDrain}. */
  private void drainFromAdmin() {
    drain().onComplete(v -> afterAdminDrain.run());
  }

  public void afterAdminDrain(Runnable then) {
    this.afterAdminDrain = then;
  }

  /**
   * Leaves the list of hub nodes, first telling the others that this node leaves on purpose (so
   * that they do not count it in their majority); the last step before the cluster itself.
   */
  public Future<Void> leave() {
    return parts.health().announceDeparture().otherwiseEmpty().compose(v -> parts.nodes().leave(parts.nodeId()));
  }

  public boolean clustered() {
    return options.cluster() != null;
  }

  public int openStreams() {
    return parts.instances().openStreams();
  }

  public long slowConsumerCloses() {
    return parts.instances().slowConsumerCloses();
  }

  /** Topics this node's fan-out currently orders: those with local subscribers. */
  public int orderedTopics() {
    return parts.fanout().orderedTopics();
  }

  public int subscriptions() {
    return parts.instances().subscriptions();
  }

  /** Requests this node refused for {@code reason} ({@code pushhub_rejected_total}). */
  public long rejected(HubError reason) {
    return parts.metrics().rejections().total(reason);
  }

  public int port() {
    return parts.instances().port();
  }

  /** The port {@code /metrics} is served on: the hub's own unless {@code metrics.port} sets another. */
  public int metricsPort() {
    return options.config().metrics().separate() ? metricsPort : port();
  }

  /** This node's HTTP address as others can reach it ("host:port"). */
  private String httpAddress() {
    String host = options.config().http().host();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = options.cluster() != null ? options.cluster().clusterHost() : "127.0.0.1";
    }
    return host + ":" + port();
  }

  private static String nodeName() {
    String name = System.getenv("HOSTNAME");
    if (name == null || name.isBlank()) {
      try {
        name = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        name = "localhost";
      }
    }
    return name;
  }

  public String nodeId() {
    return parts.nodeId();
  }

  public Vertx vertx() {
    return options.vertx();
  }

  static long nowMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }
}
