package io.pushhub;

import io.pushhub.admin.ClusterAdmin;
import io.pushhub.broadcast.Broadcaster;
import io.pushhub.broadcast.LocalBroadcaster;
import io.pushhub.broadcast.NodeFanout;
import io.pushhub.cluster.ClusterBroadcaster;
import io.pushhub.cluster.ClusterRoutes;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.pushhub.config.HubConfig;
import io.pushhub.limits.Limits;
import io.pushhub.mercure.ActiveSubscriptions;
import io.pushhub.mercure.HazelcastMercureIdIndex;
import io.pushhub.mercure.HazelcastSubscriptionRegistry;
import io.pushhub.mercure.MemorySubscriptionRegistry;
import io.pushhub.mercure.MemoryMercureIdIndex;
import io.pushhub.mercure.MercureIdIndex;
import io.pushhub.metrics.ActiveRequests;
import io.pushhub.metrics.HubMetrics;
import io.pushhub.metrics.MetricsSetup;
import io.pushhub.metrics.Scrapes;
import io.pushhub.publish.PublishBreaker;
import io.pushhub.publish.PublishService;
import io.pushhub.replay.MemoryReplayStore;
import io.pushhub.replay.ReplayStore;
import io.pushhub.sse.SseEncoder;
import io.pushhub.tracing.Spans;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The parts of one node that its verticle instances share, built in one place from its options:
 * memory or cluster is chosen here. {@code scrapes} is null without a metrics registry.
 */
record NodeParts(String nodeId, long startedAtMillis, HubConfig config, ReplayStore store, NodeFanout fanout,
                 PublishService publishService, HubMetrics metrics, Limits limits, PublishBreaker breaker,
                 ActiveRequests activeRequests, Scrapes scrapes, HubNodes nodes, ClusterAdmin admin,
                 NodeHealth health, Instances instances, MercureIdIndex mercureIds,
                 ActiveSubscriptions activeSubscriptions) {

  /** How long the fan-out waits for a late event before reading it from the store. */
  private static final long GAP_WAIT_MILLIS = 100;

  static NodeParts build(HubOptions options) {
    Vertx vertx = options.vertx();
    HubConfig config = options.config();
    String nodeId = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 45), 36);
    long startedAtMillis = System.currentTimeMillis();
    String registry = options.metricsRegistry();
    HubMetrics metrics = registry == null ? HubMetrics.noop() : new HubMetrics(MetricsSetup.registry(registry));
    Instances instances = new Instances();
    metrics.gauge("pushhub.connections", "Open streams on this node", instances::openStreams);
    metrics.gauge("pushhub.subscriptions", "Stream-topic pairs on this node", instances::subscriptions);
    metrics.counter("pushhub.slow.consumer.closes", "Streams closed because their backlog passed sse.maxQueuedBytes",
      instances, Instances::slowConsumerCloses);
    PublishBreaker breaker = new PublishBreaker(vertx, config.publish());
    Limits limits = new Limits(config.limits(), System::nanoTime);
    metrics.gauge("pushhub.circuit.breaker.state", "Publish-path breaker: 0 closed, 1 half-open, 2 open",
      breaker::stateCode);

    HazelcastClusterManager cluster = options.cluster();
    // Publishers join as lite members: only full members are hub nodes. Reads the local member list.
    metrics.gauge("pushhub.cluster.members", "Hub nodes (full cluster members) this node sees; 1 without a cluster",
      () -> cluster == null ? 1
        : cluster.getHazelcastInstance().getCluster().getMembers().stream().filter(m -> !m.isLiteMember()).count());
    // A clustered node follows topics under its Vert.x node id, which its delivery address ends with.
    ReplayStore store = options.stores().create(vertx, config.replay(), cluster,
      cluster == null ? nodeId : cluster.getNodeId());
    Spans spans = options.tracing() == null ? null : options.tracing().spans(nodeId);
    NodeFanout fanout = new NodeFanout(vertx, store, GAP_WAIT_MILLIS, List.of(SseEncoder.FRAMES), spans);
    Broadcaster broadcaster;
    ClusterBroadcaster delivery = null;
    if (cluster == null) {
      if (store instanceof MemoryReplayStore memory) {
        fanout.context().runOnContext(v -> vertx.setPeriodic(1000, id -> memory.expire(fanout::subscribed)));
      }
      broadcaster = new LocalBroadcaster(fanout);
    } else {
      delivery = new ClusterBroadcaster(vertx, cluster.getNodeId(), fanout,
        new ClusterRoutes(vertx, cluster.getHazelcastInstance()), spans != null);
      broadcaster = delivery;
      fanout.onEveryEventWanted(delivery::wantEveryEvent);
      metrics.counter("pushhub.cluster.events.received", "Events other nodes sent this one for its streams",
        delivery, ClusterBroadcaster::received);
      long renewMillis = config.replay().maxAgeSeconds() * 1000L / 3;
      fanout.context().runOnContext(v -> vertx.setPeriodic(renewMillis, id -> fanout.renewFollows()));
    }
    HubNodes nodes = new HubNodes(vertx, options.cluster());
    NodeHealth health = new NodeHealth(vertx, config, nodeId, cluster, fanout, delivery, instances, nodes);
    PublishService publishService = new PublishService(store, broadcaster, config.limits().maxEventBytes(), metrics,
      breaker, health.ackGate(), spans);
    fanout.context().runOnContext(v -> vertx.setPeriodic(30_000, id -> limits.sweep()));
    int maxAge = config.replay().maxAgeSeconds();
    MercureIdIndex mercureIds = cluster == null ? new MemoryMercureIdIndex(MercureIdIndex.MAX_IDS, maxAge * 1000L)
      : new HazelcastMercureIdIndex(vertx, cluster.getHazelcastInstance(), maxAge);
    ActiveSubscriptions activeSubscriptions = !config.mercure().subscriptions() ? null : new ActiveSubscriptions(
      cluster == null ? new MemorySubscriptionRegistry(nodeId)
        : new HazelcastSubscriptionRegistry(vertx, cluster.getHazelcastInstance()), publishService, store);
    return new NodeParts(nodeId, startedAtMillis, config, store, fanout, publishService, metrics, limits, breaker,
      new ActiveRequests(metrics), registry == null ? null : Scrapes.of(registry), nodes,
      new ClusterAdmin(vertx.eventBus(), nodes::ids), health, instances, mercureIds,
      activeSubscriptions);
  }
}
