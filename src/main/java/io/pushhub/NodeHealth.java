package io.pushhub;

import com.hazelcast.cluster.Member;
import io.pushhub.broadcast.NodeFanout;
import io.pushhub.cluster.ClusterBroadcaster;
import io.pushhub.cluster.ClusterQuorum;
import io.pushhub.cluster.PauseDetector;
import io.pushhub.config.HubConfig;
import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.pushhub.publish.AckGate;
import io.pushhub.sse.CloseReason;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Whether this node takes streams and acknowledges publishes: not while draining; in a cluster,
 * only on the majority side and not after standing still. Closes the node's streams when it is
 * cut off or stood still, and renews its delivery consumer when it is back on the majority side.
 */
final class NodeHealth {

  private static final Logger log = LoggerFactory.getLogger(NodeHealth.class);

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
  private final String nodeId;
  private final NodeFanout fanout;
  private final Instances instances;
  private final HubNodes nodes;
  private final AtomicBoolean draining = new AtomicBoolean();

  private final HazelcastClusterManager cluster;
  /** Whether this node is on the majority side; null without a cluster. */
  private final ClusterQuorum quorum;
  /** Notices that this process stood still; null without a cluster. */
  private final PauseDetector pauses;
  private volatile long distrustUntilNanos = System.nanoTime();
  /** Delivery across the cluster; null without a cluster. */
  private final ClusterBroadcaster delivery;

  NodeHealth(Vertx vertx, HubConfig config, String nodeId, HazelcastClusterManager cluster, NodeFanout fanout,
             ClusterBroadcaster delivery, Instances instances, HubNodes nodes) {
    this.delivery = delivery;
    this.vertx = vertx;
    this.config = config;
    this.nodeId = nodeId;
    this.cluster = cluster;
    this.fanout = fanout;
    this.instances = instances;
    this.nodes = nodes;
    this.quorum = cluster == null ? null : new ClusterQuorum(vertx, cluster.getHazelcastInstance());
    this.pauses = cluster == null ? null : new PauseDetector(pauseThresholdMillis(cluster), TimeUnit.MILLISECONDS,
      stood -> fanout.context().runOnContext(v -> stoodStill(stood)));
    if (quorum != null) {
      fanout.trustStoreOnlyWhen(this::acknowledging);
      quorum.onChange(this::majorityChanged);
      quorum.onMemberLost(member -> vertx.setTimer(RECHECK_DELAY_MILLIS, id -> fanout.recheckAll()));
    }
  }

  /**
   * In a cluster, registers the node's delivery consumer and waits (a while) to learn that the
   * node is on the majority side; done before any instance listens, so that no other node can
   * miss the consumer once this one takes streams.
   */
  Future<Void> start() {
    if (cluster == null) {
      return Future.succeededFuture();
    }
    return delivery.listen()
      .compose(v -> quorum.awaitPresent(MAJORITY_WAIT_MILLIS))
      .onSuccess(present -> {
        if (!present) {
          log.warn("not on the cluster's majority side: publishes are refused until it is");
        }
      }).mapEmpty();
  }

  /** Tells the others that this node leaves on purpose, so that they do not count it in their majority. */
  Future<Void> announceDeparture() {
    return quorum == null ? Future.succeededFuture() : quorum.announceDeparture();
  }

  boolean clustered() {
    return cluster != null;
  }

  /** Whether the cluster is joined (always, without a cluster). */
  boolean clusterUp() {
    return cluster == null || cluster.isActive();
  }

  /** Starts draining; false when it had started already. */
  boolean startDraining() {
    return draining.compareAndSet(false, true);
  }

  boolean draining() {
    return draining.get();
  }

  /**
   * Whether this node may acknowledge publishes: always without a cluster, else on the majority
   * side only, and not while it may have stood still unnoticed by its own view of the cluster.
   */
  boolean acknowledging() {
    return quorum == null
      || quorum.present() && !pauses.stalled() && System.nanoTime() - distrustUntilNanos >= 0;
  }

  AckGate ackGate() {
    return cluster == null ? AckGate.ALWAYS : this::openAck;
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
      kv("pausedMillis", millis), kv("streams", instances.openStreams()));
    instances.closeAll(0, CloseReason.PAUSED);
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
      // Interest registered while apart was merged away: every followed topic is followed again.
      vertx.setTimer(RENEW_DELAY_MILLIS, id -> delivery.renew()
        .onComplete(ar -> fanout.recheckAll())
        .onFailure(e -> log.warn("could not renew the delivery consumer", e)));
      return;
    }
    log.warn("cut off from the cluster's majority: refusing publishes, closing streams {} {}", kv("node", nodeId),
      kv("streams", instances.openStreams()));
    vertx.setTimer(CUT_OFF_GRACE_MILLIS, id -> {
      if (!acknowledging() && !draining()) {
        long spread = Math.min(CUT_OFF_SPREAD_MILLIS, config.http().drainSeconds() * 1000L);
        instances.closeAll(spread, CloseReason.CUT_OFF);
      }
    });
  }
}
