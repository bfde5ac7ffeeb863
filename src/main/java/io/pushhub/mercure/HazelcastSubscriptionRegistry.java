package io.pushhub.mercure;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import io.pushhub.cluster.HazelcastFutures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * The active subscriptions of the cluster: a Hazelcast map from subscription id to its
 * {@link ActiveSubscription#encode() encoded} form, written by the node that holds the stream.
 * When members leave, the oldest hub member that remains removes every entry whose node is no
 * longer a member, then tells {@link #onNodeLeft}: a node that dies leaves nothing behind.
 */
public final class HazelcastSubscriptionRegistry implements SubscriptionRegistry {

  public static final String MAP = "pushhub.mercure.subscriptions";
  private static final Logger log = LoggerFactory.getLogger(HazelcastSubscriptionRegistry.class);

  private final Vertx vertx;
  /** Where sweeps run: membership events come on Hazelcast's threads. */
  private final Context context;
  private final IMap<String, String> map;
  private final String node;
  private volatile Consumer<List<ActiveSubscription>> ended = subscriptions -> { };

  public HazelcastSubscriptionRegistry(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.map = hazelcast.getMap(MAP);
    this.node = hazelcast.getCluster().getLocalMember().getUuid().toString();
    hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        if (isOldestHubMember(event.getMembers())) {
          Set<String> members = event.getMembers().stream().map(m -> m.getUuid().toString()).collect(Collectors.toSet());
          context.runOnContext(v -> sweep(members));
        }
      }
    });
  }

  /**
   * The map's settings, to add to the hub's Hazelcast config: one backup; no majority protection,
   * so a node cut off can still remove its own entries; after a split the smaller side's entries
   * are discarded, since the larger side removed that side's nodes' subscriptions meanwhile.
   */
  public static MapConfig mapConfig() {
    return new MapConfig(MAP).setBackupCount(1)
      .setMergePolicyConfig(new MergePolicyConfig().setPolicy(DiscardMergePolicy.class.getName()));
  }

  @Override
  public String node() {
    return node;
  }

  @Override
  public Future<Void> put(ActiveSubscription subscription) {
    return HazelcastFutures.on(vertx, map.setAsync(subscription.id(), subscription.encode()));
  }

  @Override
  public Future<Void> remove(ActiveSubscription subscription) {
    return HazelcastFutures.on(vertx, map.removeAsync(subscription.id())).mapEmpty();
  }

  @Override
  public Future<List<ActiveSubscription>> all() {
    return vertx.executeBlocking(() -> map.values().stream().map(ActiveSubscription::decode)
      .filter(s -> s != null).toList(), false);
  }

  @Override
  public void onNodeLeft(Consumer<List<ActiveSubscription>> ended) {
    this.ended = ended;
  }

  /** Publishers join as lite members; of the hub nodes, the oldest sweeps. */
  private boolean isOldestHubMember(Set<Member> members) {
    return members.stream().filter(m -> !m.isLiteMember()).findFirst().map(Member::localMember).orElse(false);
  }

  /** Removes the entries of nodes that are not {@code members}, then reports them. */
  private void sweep(Set<String> members) {
    context.executeBlocking(() -> {
      List<ActiveSubscription> removed = new ArrayList<>();
      for (Map.Entry<String, String> entry : map.entrySet()) {
        ActiveSubscription subscription = ActiveSubscription.decode(entry.getValue());
        if ((subscription == null || !members.contains(subscription.node()))
          && map.remove(entry.getKey(), entry.getValue()) && subscription != null) {
          removed.add(subscription);
        }
      }
      return removed;
    }, false).onSuccess(removed -> {
      if (!removed.isEmpty()) {
        log.info("mercure subscriptions of departed nodes removed {}", kv("subscriptions", removed.size()));
        ended.accept(removed);
      }
    }).onFailure(e -> log.warn("mercure subscriptions of departed nodes not swept", e));
  }
}
