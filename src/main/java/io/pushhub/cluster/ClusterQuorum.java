package io.pushhub.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.splitbrainprotection.SplitBrainProtection;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Set;
import java.util.UUID;

/**
 * Whether this node is on the majority side of the cluster (Hazelcast's split-brain protection
 * with the {@link MajorityRule}), told to the node as it changes; and the membership events the
 * node reacts to. Lives on one context.
 */
public final class ClusterQuorum {

  /** How long a vanished member's port may take to answer before it counts as possibly alive. */
  private static final int PROBE_TIMEOUT_MILLIS = 1_000;
  /** How often the protection's state is read; Hazelcast itself re-evaluates it every heartbeat. */
  private static final long POLL_MILLIS = 250;

  private final Vertx vertx;
  private final Context context;
  private final HazelcastInstance hazelcast;
  private final SplitBrainProtection protection;
  private final IMap<String, Long> departures;
  private volatile boolean present;
  private Handler<Boolean> onChange = present -> { };

  public ClusterQuorum(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.hazelcast = hazelcast;
    this.protection = hazelcast.getSplitBrainProtectionService().getSplitBrainProtection(ClusterSetup.MAJORITY);
    this.departures = hazelcast.getMap(ClusterSetup.DEPARTURES);
    MajorityRule rule = ClusterSetup.majorityRule(hazelcast.getConfig());
    departures.addEntryListener((EntryAddedListener<String, Long>) added ->
      rule.gone(UUID.fromString(added.getKey())), false);
    onMemberLost(removed -> {
      if (removed.getAttribute(ClusterSetup.HUB_ATTRIBUTE) != null) {
        proveGone(removed, rule);
      }
    });
    this.present = protection.hasMinimumSize();
    context.runOnContext(v -> vertx.setPeriodic(POLL_MILLIS, id -> poll()));
  }

  /** Whether this node may acknowledge publishes and serve streams now; callable from any thread. */
  public boolean present() {
    return present;
  }

  /** The cluster's members now, to compare with later in {@link #noneLeftSince}. */
  public Set<Member> members() {
    return hazelcast.getCluster().getMembers();
  }

  /**
   * Whether every data member of {@code before} is still a member. Read from Hazelcast's own member
   * list, which changes before Hazelcast completes what was waiting on a member that left.
   */
  public boolean noneLeftSince(Set<Member> before) {
    Set<Member> now = hazelcast.getCluster().getMembers();
    if (now == before) {
      return true;
    }
    for (Member member : before) {
      if (!member.isLiteMember() && !now.contains(member)) {
        return false;
      }
    }
    return true;
  }

  /** Called on this object's context with the new state each time it changes. */
  public void onChange(Handler<Boolean> handler) {
    this.onChange = handler;
  }

  /** Calls {@code handler} on this object's context each time a member leaves the cluster, for whatever reason. */
  public void onMemberLost(Handler<Member> handler) {
    hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        context.runOnContext(v -> handler.handle(event.getMember()));
      }
    });
  }

  /**
   * A hub node that vanished is counted out of the majority only if its process is proven gone: a
   * connection to its member port is refused. A paused process still accepts connections (its
   * kernel does), and a partition drops them: both keep counting, since they may still be alive
   * elsewhere. So a crash does not cost the survivors their majority, while a split still does.
   */
  private void proveGone(Member removed, MajorityRule rule) {
    InetSocketAddress address = new InetSocketAddress(removed.getAddress().getHost(), removed.getAddress().getPort());
    vertx.executeBlocking(() -> {
      try (Socket socket = new Socket()) {
        socket.connect(address, PROBE_TIMEOUT_MILLIS);
        return false;
      } catch (ConnectException refused) {
        return true;
      } catch (IOException unknown) {
        return false;
      }
    }, false).onSuccess(gone -> {
      if (gone) {
        rule.gone(removed.getUuid());
      }
    });
  }

  /** Completes once this node is on the majority side, or when {@code timeoutMillis} passed (then it is not). */
  public Future<Boolean> awaitPresent(long timeoutMillis) {
    Promise<Boolean> done = Promise.promise();
    long deadline = System.currentTimeMillis() + timeoutMillis;
    context.runOnContext(v -> vertx.setPeriodic(0, 50, id -> {
      if (protection.hasMinimumSize() || System.currentTimeMillis() >= deadline) {
        vertx.cancelTimer(id);
        poll();
        done.complete(present);
      }
    }));
    return done.future();
  }

  /** Tells the others that this node leaves on purpose, so that they count their majority without it. */
  public Future<Void> announceDeparture() {
    UUID self = hazelcast.getCluster().getLocalMember().getUuid();
    return HazelcastFutures.on(vertx, departures.setAsync(self.toString(), System.currentTimeMillis()));
  }

  private void poll() {
    boolean now = protection.hasMinimumSize();
    if (now != present) {
      present = now;
      onChange.handle(now);
    }
  }
}
