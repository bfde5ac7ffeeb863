package io.pushhub.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a node knows, locally and without a remote call per event, about where events go besides
 * their topics' followers: the hub nodes that are members now (each by its Vert.x node id, the id
 * it follows topics under), those that left (their follows lapse later; nothing is sent to them
 * meanwhile), and those that want every event because some of their subscribers match topics by
 * pattern. All are kept by Hazelcast listeners. A follower this node has not heard of yet (it
 * joined a moment ago) is sent events all the same.
 *
 * <p>A node that starts wanting every event is known to the others once its entry in
 * {@link #EVERY_EVENT} reaches them, a moment after it is written: an event published in that
 * moment does not reach the node's pattern subscribers live.
 */
public final class ClusterRoutes {

  /** Hub nodes whose subscribers want every event, by Vert.x node id. */
  static final String EVERY_EVENT = "pushhub.everyEvent";
  private static final int MAX_DEPARTED = 4096;
  /** The attribute that carries a member's Vert.x node id (set by vertx-hazelcast). */
  private static final String VERTX_NODE_ID = "__vertx.nodeId";

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final IMap<String, Boolean> everyEvent;
  private final Set<String> wantingEvery = ConcurrentHashMap.newKeySet();
  private volatile Set<String> hubNodes = Set.of();
  /** Nodes that left, newest last; a few thousand at most, long after their follows lapsed. */
  private final Set<String> departed = Collections.synchronizedSet(new LinkedHashSet<>());

  public ClusterRoutes(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.everyEvent = hazelcast.getMap(EVERY_EVENT);
  }

  /** Starts listening, then reads the current state (blocking calls, off the event loop). */
  public Future<Void> start() {
    return vertx.executeBlocking(() -> {
      hazelcast.getCluster().addMembershipListener(new MembershipListener() {
        @Override
        public void memberAdded(MembershipEvent event) {
          String joined = event.getMember().getAttribute(VERTX_NODE_ID);
          if (joined != null) {
            departed.remove(joined);
          }
          readMembers();
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
          readMembers();
          String gone = event.getMember().getAttribute(VERTX_NODE_ID);
          if (gone != null) {
            remember(gone);
            // A node that merges back after a split says again what it wants.
            everyEvent.removeAsync(gone);
          }
        }
      });
      everyEvent.addEntryListener(new Wanting(), false);
      readMembers();
      wantingEvery.addAll(everyEvent.keySet());
      return null;
    }, false);
  }

  /** The Vert.x node ids of the hub nodes in the cluster now. */
  public Set<String> hubNodes() {
    return hubNodes;
  }

  /** Whether {@code node} left the cluster (and has not come back since). */
  public boolean departed(String node) {
    return departed.contains(node);
  }

  private void remember(String gone) {
    synchronized (departed) {
      departed.add(gone);
      if (departed.size() > MAX_DEPARTED) {
        departed.remove(departed.iterator().next());
      }
    }
  }

  /** The Vert.x node ids of nodes that want every event; some may have left the cluster. */
  public Set<String> wantingEvery() {
    return wantingEvery;
  }

  /** Reads again who wants every event: after a merge, what was heard while apart may be wrong. */
  public Future<Void> reread() {
    return vertx.executeBlocking(() -> {
      Set<String> now = everyEvent.keySet();
      wantingEvery.retainAll(now);
      wantingEvery.addAll(now);
      return null;
    }, false);
  }

  /** Says whether {@code node} (this one) wants every event from now on. */
  public Future<Void> wantEvery(String node, boolean wants) {
    return wants ? HazelcastFutures.on(vertx, everyEvent.setAsync(node, true))
      : HazelcastFutures.on(vertx, everyEvent.removeAsync(node)).mapEmpty();
  }

  private void readMembers() {
    Set<String> hubs = new HashSet<>();
    for (Member member : hazelcast.getCluster().getMembers()) {
      String id = member.getAttribute(VERTX_NODE_ID);
      if (id != null && member.getAttribute(ClusterSetup.HUB_ATTRIBUTE) != null) {
        hubs.add(id);
      }
    }
    hubNodes = Set.copyOf(hubs);
  }

  private final class Wanting implements EntryAddedListener<String, Boolean>, EntryRemovedListener<String, Boolean>,
    EntryEvictedListener<String, Boolean> {

    @Override
    public void entryAdded(EntryEvent<String, Boolean> event) {
      wantingEvery.add(event.getKey());
    }

    @Override
    public void entryRemoved(EntryEvent<String, Boolean> event) {
      wantingEvery.remove(event.getKey());
    }

    @Override
    public void entryEvicted(EntryEvent<String, Boolean> event) {
      wantingEvery.remove(event.getKey());
    }
  }
}
