package io.pushhub;

import com.hazelcast.cluster.Member;
import io.pushhub.admin.ClusterAdmin;
import io.pushhub.admin.NodeAdmin;
import io.pushhub.broadcast.Broadcaster;
import io.pushhub.broadcast.LocalBroadcaster;
import io.pushhub.broadcast.NodeFanout;
import io.pushhub.cluster.ClusterBroadcaster;
import io.pushhub.cluster.ClusterQuorum;
import io.pushhub.cluster.PauseDetector;
import io.pushhub.cluster.HazelcastReplayStore;
import io.pushhub.config.HubConfig;
import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.pushhub.limits.Limits;
import io.pushhub.metrics.ActiveRequests;
import io.pushhub.metrics.HubMetrics;
import io.pushhub.metrics.MetricsListener;
import io.pushhub.metrics.MetricsSetup;
import io.pushhub.metrics.Scrapes;
import io.pushhub.publish.AckGate;
import io.pushhub.publish.PublishBreaker;
import io.pushhub.publish.PublishService;
import io.pushhub.replay.MemoryReplayStore;
import io.pushhub.replay.ReplayStore;
import io.pushhub.sse.CloseReason;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * One hub node: the services its verticle instances share (replay store, fan-out, publish path)
 * and the node-wide state (draining). Built and started by {@link Main} or by tests.
 */
public final class Hub {

  private static final Logger log = LoggerFactory.getLogger(Hub.class);

  /** How long the fan-out waits for a late event before reading it from the store. */
  private static final long GAP_WAIT_MILLIS = 100;
  /** How long a node waits at start to learn that it is on the cluster's majority side. */
  private static final long MAJORITY_WAIT_MILLIS = 10_000;
  /** A loss of the majority that lasts this long closes the node's streams. */
  private static final long CUT_OFF_GRACE_MILLIS = 3_000;
  /** The longest spread of the streams' close when the node is cut off. */
  private static final long CUT_OFF_SPREAD_MILLIS = 5_000;
  /** How long a node that stood still distrusts its view of the cluster: the others' heartbeats correct it first. */
  private static final long SETTLE_AFTER_PAUSE_MILLIS = 3_000;
  /** How long after a merge the delivery consumer is renewed: the merged data settles first. */
  private static final long RENEW_DELAY_MILLIS = 1_000;
  /** How long after a member left every ordered topic is read again: partitions move first. */
  private static final long RECHECK_DELAY_MILLIS = 1_000;

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
  /** Whether this node is on the majority side; null without a cluster. */
  private final ClusterQuorum quorum;
  /** Notices that this process stood still; null without a cluster. */
  private final PauseDetector pauses;
  private volatile long distrustUntilNanos = System.nanoTime();
  /** This node's consumer of cluster deliveries; null without a cluster. */
  private volatile MessageConsumer<Buffer> deliveryConsumer;

  private final HubMetrics metrics;
  private final String metricsRegistry;
  private final HubNodes nodes;
  private final PublishBreaker breaker;
  private final Limits limits;
  private final ClusterAdmin admin;
  private final ActiveRequests activeRequests;
  private final Scrapes scrapes;

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
    this.breaker = new PublishBreaker(vertx, config.publish());
    this.limits = new Limits(config.limits(), System::nanoTime);
    metrics.gauge("pushhub.circuit.breaker.state", "Publish-path breaker: 0 closed, 1 half-open, 2 open",
      breaker::stateCode);
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
    this.quorum = cluster == null ? null : new ClusterQuorum(vertx, cluster.getHazelcastInstance());
    this.pauses = cluster == null ? null : new PauseDetector(pauseThresholdMillis(cluster), TimeUnit.MILLISECONDS,
      stood -> fanout.context().runOnContext(v -> stoodStill(stood)));
    if (quorum != null) {
      quorum.onChange(this::majorityChanged);
      quorum.onMemberLost(member -> vertx.setTimer(RECHECK_DELAY_MILLIS, id -> fanout.recheckAll()));
    }
    this.publishService = new PublishService(store, broadcaster, config.limits().maxEventBytes(), metrics, breaker,
      cluster == null ? AckGate.ALWAYS : this::openAck);
    this.nodes = new HubNodes(vertx, cluster);
    fanout.context().runOnContext(v -> vertx.setPeriodic(30_000, id -> limits.sweep()));
    this.admin = new ClusterAdmin(vertx.eventBus(), nodes::ids);
    this.activeRequests = new ActiveRequests(metrics);
    this.scrapes = metricsRegistry == null ? null : Scrapes.of(metricsRegistry);
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
      : ClusterBroadcaster.registerConsumer(vertx.eventBus(), hub.fanout)
        .compose(consumer -> {
          hub.deliveryConsumer = consumer;
          return hub.quorum.awaitPresent(MAJORITY_WAIT_MILLIS);
        })
        .onSuccess(present -> {
          if (!present) {
            log.warn("not on the cluster's majority side: publishes are refused until it is");
          }
        }).mapEmpty();
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
      instances.forEach(instance -> instance.closeAll(spreadMillis, CloseReason.DRAINING));
    }
    if (openStreams() == 0) {
      return Future.succeededFuture();
    }
    // Set on an event loop: a timer set from another thread (the shutdown hook's) can fire and be
    // cancelled before Vert.x has stored its handle, which threw and left the timer running.
    Promise<Void> drained = Promise.promise();
    fanout.context().runOnContext(v -> vertx.setPeriodic(50, id -> {
      if (openStreams() == 0) {
        vertx.cancelTimer(id);
        drained.tryComplete();
      }
    }));
    return drained.future();
  }

  public boolean draining() {
    return draining.get();
  }

  /**
   * Whether this node may acknowledge publishes: always without a cluster, else on the majority
   * side only, and not while it may have stood still unnoticed by its own view of the cluster.
   */
  public boolean acknowledging() {
    return quorum == null
      || quorum.present() && !pauses.stalled() && System.nanoTime() - distrustUntilNanos >= 0;
  }

  /**
   * A publish may be acknowledged if, once its event is stored, this node is still on the majority
   * side, has not stood still, and no data member has left meanwhile: Hazelcast counts the backup
   * copy on a member that leaves as made, so without this an event stored by a node that was
   * being cut off could be acknowledged while the majority never got it.
   */
  private AckGate.Ticket openAck() {
    if (!acknowledging()) {
      return null;
    }
    long pausesBefore = pauses.pauses();
    Set<Member> membersBefore = quorum.members();
    return () -> acknowledging() && pauses.pauses() == pausesBefore && quorum.noneLeftSince(membersBefore);
  }

  /** Why a new stream is refused now, or null when streams are taken. */
  HubException streamRefusal() {
    if (draining()) {
      return new HubException(HubError.DRAINING, "this node is draining; connect to another one");
    }
    if (!acknowledging()) {
      return new HubException(HubError.UNAVAILABLE, "this node is not in touch with the cluster; connect to another one");
    }
    return null;
  }

  /**
   * This process stood still long enough that the others may have declared it dead: what its
   * streams would get next may come from partitions it no longer owns. They are closed at once
   * (their clients resume on another node), and the node acknowledges nothing until its view of
   * the cluster has been corrected.
   */
  private void stoodStill(long millis) {
    distrustUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_AFTER_PAUSE_MILLIS);
    log.warn("this node stood still: closing its streams, refusing publishes for a while {} {}",
      kv("pausedMillis", millis), kv("streams", openStreams()));
    instances.forEach(instance -> instance.closeAll(0, CloseReason.PAUSED));
  }

  /** Half Hazelcast's failure-detection time: a shorter stall cannot have made the others drop this node. */
  private static long pauseThresholdMillis(HazelcastClusterManager cluster) {
    String seconds = cluster.getHazelcastInstance().getConfig().getProperty("hazelcast.max.no.heartbeat.seconds");
    long detection = seconds == null ? 60_000 : Long.parseLong(seconds.trim()) * 1000;
    return Math.max(1_000, detection / 2);
  }

  /**
   * Cut off from the majority, the node's streams would silently miss what the majority publishes:
   * they are closed, spread out, so that their clients resume on the majority. Back on the majority
   * side, the node lists itself again (the others dropped it) and takes streams again.
   */
  private void majorityChanged(boolean present) {
    if (present) {
      log.info("on the cluster's majority side again {}", kv("node", nodeId));
      // Nothing acknowledged until every member reads again who receives deliveries.
      distrustUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * RENEW_DELAY_MILLIS);
      nodes.join(nodeId);
      vertx.setTimer(RENEW_DELAY_MILLIS, id -> ClusterBroadcaster.renewConsumer(vertx.eventBus(), fanout, deliveryConsumer)
        .onSuccess(fresh -> deliveryConsumer = fresh)
        .onFailure(e -> log.warn("could not renew the delivery consumer", e)));
      return;
    }
    log.warn("cut off from the cluster's majority: refusing publishes, closing streams {} {}", kv("node", nodeId),
      kv("streams", openStreams()));
    vertx.setTimer(CUT_OFF_GRACE_MILLIS, id -> {
      if (!acknowledging() && !draining()) {
        long spread = Math.min(CUT_OFF_SPREAD_MILLIS, config.http().drainSeconds() * 1000L);
        instances.forEach(instance -> instance.closeAll(spread, CloseReason.CUT_OFF));
      }
    });
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

  /** Topics this node's fan-out currently orders: those with local subscribers. */
  public int orderedTopics() {
    return fanout.orderedTopics();
  }

  public int subscriptions() {
    return instances.stream().mapToInt(HubVerticle::subscriptions).sum();
  }

  /** Requests this node refused for {@code reason} ({@code pushhub_rejected_total}). */
  public long rejected(HubError reason) {
    return metrics.rejections().total(reason);
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

  /**
   * Leaves the list of hub nodes, first telling the others that this node leaves on purpose (so
   * that they do not count it in their majority); the last step before the cluster itself.
   */
  public Future<Void> leave() {
    Future<Void> announced = quorum == null ? Future.succeededFuture() : quorum.announceDeparture();
    return announced.otherwiseEmpty().compose(v -> nodes.leave(nodeId));
  }

  Limits limits() {
    return limits;
  }

  ActiveRequests activeRequests() {
    return activeRequests;
  }

  Scrapes scrapes() {
    return scrapes;
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
