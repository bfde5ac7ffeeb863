package io.pushhub;

import io.pushhub.admin.ClusterAdmin;
import io.pushhub.admin.NodeAdmin;
import io.pushhub.broadcast.Broadcaster;
import io.pushhub.broadcast.LocalBroadcaster;
import io.pushhub.broadcast.NodeFanout;
import io.pushhub.cluster.ClusterBroadcaster;
import io.pushhub.cluster.HazelcastReplayStore;
import io.pushhub.config.HubConfig;
import io.pushhub.error.HubError;
import io.pushhub.error.Rejections;
import io.pushhub.limits.Limits;
import io.pushhub.metrics.HubMetrics;
import io.pushhub.metrics.MetricsListener;
import io.pushhub.metrics.MetricsSetup;
import io.pushhub.publish.PublishBreaker;
import io.pushhub.publish.PublishService;
import io.pushhub.replay.MemoryReplayStore;
import io.pushhub.replay.ReplayStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * One hub node: the services its verticle instances share (replay store, fan-out, publish path)
 * and the node-wide state (draining). Built and started by {@link Main} or by tests.
 */
public final class Hub {

  /** How long the fan-out waits for a late event before reading it from the store. */
  private static final long GAP_WAIT_MILLIS = 100;

  private final Vertx vertx;
  private final HubConfig config;
  private final String nodeId = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 45), 36);
  private final long startedAtMillis = System.currentTimeMillis();
  private final ReplayStore store;
  private final NodeFanout fanout;
  private final PublishService publishService;
  private final AtomicBoolean draining = new AtomicBoolean();
  /** What follows a drain asked for through the admin API: nothing in tests, leave and exit in {@link Main}. */
  private volatile Runnable afterAdminDrain = () -> { };
  private final List<HubVerticle> instances = new CopyOnWriteArrayList<>();
  private volatile int port;
  private volatile int metricsPort;

  private final HazelcastClusterManager cluster;

  private final HubMetrics metrics;
  private final String metricsRegistry;
  private final HubNodes nodes;
  private final PublishBreaker breaker;
  private final Limits limits;
  private final ClusterAdmin admin;

  private Hub(Vertx vertx, HubConfig config, HazelcastClusterManager cluster, String metricsRegistry,
              UnaryOperator<ReplayStore> storeWrapper) {
    this.vertx = vertx;
    this.config = config;
    this.cluster = cluster;
    this.metricsRegistry = metricsRegistry;
    this.metrics = metricsRegistry == null ? HubMetrics.noop() : new HubMetrics(MetricsSetup.registry(metricsRegistry));
    metrics.gauge("pushhub.connections", "Open streams on this node", this::openStreams);
    metrics.gauge("pushhub.subscriptions", "Stream-topic pairs on this node", this::subscriptions);
    metrics.counter("pushhub.slow.consumer.closes", "Streams closed because their backlog passed sse.maxQueuedBytes",
      this, Hub::slowConsumerCloses);
    for (HubError reason : HubError.values()) {
      metrics.counter("pushhub.rejected", "reason", reason.code(), "Requests refused, by error code", reason,
        Rejections::total);
    }
    this.breaker = new PublishBreaker(vertx, config.publish());
    this.limits = new Limits(config.limits(), System::nanoTime);
    metrics.gauge("pushhub.circuit.breaker.state", "Publish-path breaker: 0 closed, 1 half-open, 2 open",
      breaker::stateCode);
    metrics.gauge("pushhub.cluster.members", "Hub nodes (full cluster members) this node sees; 1 without a cluster",
      this::clusterMembers);
    Broadcaster broadcaster;
    if (cluster == null) {
      MemoryReplayStore memory = new MemoryReplayStore(config.replay(), Hub::nowMicros);
      this.store = storeWrapper.apply(memory);
      this.fanout = new NodeFanout(vertx, store, GAP_WAIT_MILLIS);
      fanout.context().runOnContext(v -> vertx.setPeriodic(1000, id -> memory.expire(fanout::subscribed)));
      broadcaster = new LocalBroadcaster(fanout);
    } else {
      this.store = storeWrapper.apply(
        new HazelcastReplayStore(vertx, cluster.getHazelcastInstance(), config.replay(), Hub::nowMicros));
      this.fanout = new NodeFanout(vertx, store, GAP_WAIT_MILLIS);
      broadcaster = new ClusterBroadcaster(vertx.eventBus());
    }
    this.publishService = new PublishService(store, broadcaster, config.limits().maxEventBytes(), metrics, breaker);
    this.nodes = new HubNodes(vertx, cluster);
    fanout.context().runOnContext(v -> vertx.setPeriodic(30_000, id -> limits.sweep()));
    this.admin = new ClusterAdmin(vertx.eventBus(), nodes::ids);
  }

  /**
   * Starts a node on {@code vertx}; {@code cluster} is its cluster manager when it is clustered,
   * else {@code null}; {@code metricsRegistry} the name of the registry {@code vertx} was built
   * with ({@link MetricsSetup}), or {@code null} for no {@code /metrics}. The node's delivery consumer is registered before any instance listens, so
   * no other node can miss it once this one takes streams.
   */
  public static Future<Hub> start(Vertx vertx, HubConfig config, HazelcastClusterManager cluster,
                                  String metricsRegistry) {
    return start(vertx, config, cluster, metricsRegistry, UnaryOperator.identity());
  }

  /** As above, with the replay store wrapped by {@code storeWrapper}: how tests inject store faults. */
  public static Future<Hub> start(Vertx vertx, HubConfig config, HazelcastClusterManager cluster,
                                  String metricsRegistry, UnaryOperator<ReplayStore> storeWrapper) {
    Hub hub = new Hub(vertx, config, cluster, metricsRegistry, storeWrapper);
    DeploymentOptions options = new DeploymentOptions().setInstances(config.http().effectiveInstances());
    Future<Void> delivery = cluster == null ? Future.succeededFuture()
      : ClusterBroadcaster.registerConsumer(vertx.eventBus(), hub.fanout);
    return delivery
      .compose(v -> vertx.deployVerticle(() -> new HubVerticle(hub), options))
      .compose(id -> NodeAdmin.register(vertx.eventBus(), hub.nodeId, new LocalNode(hub, nodeName(), hub.httpAddress())))
      .compose(consumer -> hub.nodes.join(hub.nodeId))
      .compose(v -> MetricsListener.listen(vertx, config.metrics(), metricsRegistry))
      .map(actualPort -> {
        hub.metricsPort = actualPort;
        return hub;
      });
  }

  /** A node without cluster nor metrics registry. */
  public static Future<Hub> start(Vertx vertx, HubConfig config) {
    return start(vertx, config, null, null);
  }

  /** Whether the cluster is joined (always, without a cluster). */
  public boolean clusterUp() {
    return cluster == null || cluster.isActive();
  }

  public boolean clustered() {
    return cluster != null;
  }

  /**
   * Stops taking streams and closes the open ones over {@code http.drainSeconds}, spread out.
   * Completes when they are all closed.
   */
  public Future<Void> drain() {
    if (draining.compareAndSet(false, true)) {
      long spreadMillis = config.http().drainSeconds() * 1000L;
      instances.forEach(instance -> instance.drain(spreadMillis));
    }
    Promise<Void> drained = Promise.promise();
    vertx.setPeriodic(0, 50, id -> {
      if (openStreams() == 0) {
        vertx.cancelTimer(id);
        drained.tryComplete();
      }
    });
    return drained.future();
  }

  public boolean draining() {
    return draining.get();
  }

  /** A drain asked for through the admin API: as on SIGTERM, then {@link #afterAdminDrain}. */
  public void drainFromAdmin() {
    drain().onComplete(v -> afterAdminDrain.run());
  }

  public void afterAdminDrain(Runnable then) {
    this.afterAdminDrain = then;
  }

  public int openStreams() {
    return instances.stream().mapToInt(HubVerticle::openStreams).sum();
  }

  public long slowConsumerCloses() {
    return instances.stream().mapToLong(HubVerticle::slowConsumerCloses).sum();
  }

  /** Publishers join as lite members: only full members are hub nodes. Reads the local member list. */
  private long clusterMembers() {
    return cluster == null ? 1
      : cluster.getHazelcastInstance().getCluster().getMembers().stream().filter(m -> !m.isLiteMember()).count();
  }

  /** Topics this node's fan-out currently orders: those with local subscribers. */
  public int orderedTopics() {
    return fanout.orderedTopics();
  }

  public int subscriptions() {
    return instances.stream().mapToInt(HubVerticle::subscriptions).sum();
  }

  public int port() {
    return port;
  }

  /** The port {@code /metrics} is served on: the hub's own unless {@code metrics.port} sets another. */
  public int metricsPort() {
    return config.metrics().separate() ? metricsPort : port;
  }

  void listening(HubVerticle instance, int actualPort) {
    instances.add(instance);
    port = actualPort;
  }

  /** Leaves the list of hub nodes; the last step before the cluster itself. */
  public Future<Void> leave() {
    return nodes.leave(nodeId);
  }

  Limits limits() {
    return limits;
  }

  PublishBreaker breaker() {
    return breaker;
  }

  ClusterAdmin admin() {
    return admin;
  }

  List<HubVerticle> instances() {
    return instances;
  }

  /** This node's HTTP address as others can reach it ("host:port"). */
  String httpAddress() {
    String host = config.http().host();
    if (host.equals("0.0.0.0") || host.equals("::")) {
      host = cluster != null ? cluster.clusterHost() : "127.0.0.1";
    }
    return host + ":" + port;
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
    return nodeId;
  }

  public long startedAtMillis() {
    return startedAtMillis;
  }

  HubConfig config() {
    return config;
  }

  ReplayStore store() {
    return store;
  }

  NodeFanout fanout() {
    return fanout;
  }

  HubMetrics metrics() {
    return metrics;
  }

  String metricsRegistry() {
    return metricsRegistry;
  }

  PublishService publishService() {
    return publishService;
  }

  public Vertx vertx() {
    return vertx;
  }

  static long nowMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }
}
