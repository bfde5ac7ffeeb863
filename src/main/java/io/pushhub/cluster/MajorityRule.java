package io.pushhub.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionFunction;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether this member's side of the cluster may acknowledge publishes: Hazelcast asks it on every
 * membership change and every heartbeat interval, and refuses writes to the hub's structures while
 * it says no.
 *
 * <p>Only hub nodes count (members with {@link ClusterSetup#HUB_ATTRIBUTE}): publishers and tools
 * come and go without moving the majority. With {@code cluster.minMembers} set, a side needs that
 * many hub nodes. Otherwise it needs more than half of the hub nodes of the last majority it was
 * part of: a node that is cut off or stands still still counts, as does one whose crash is not
 * proven; a node that left on purpose (drain, SIGTERM) announced it and no longer counts, nor
 * does one whose process is proven gone (its port refuses connections). A side that has the
 * majority takes its own size as the new baseline, so after losing one node of three the other two
 * can still lose a node to a drain. A side of two out of three goes on, a side of one does not, and
 * of two halves of an even split neither does: only a strict majority writes, so two sides never
 * both acknowledge. A side that lost the majority gets it back only when nodes rejoin it.
 *
 * <p>Called on Hazelcast's single split-brain-protection thread; departures arrive on event threads.
 */
final class MajorityRule implements SplitBrainProtectionFunction {

  private final int minMembers;
  /** Hub nodes known to be gone or going; they stop counting at once. */
  private final Set<UUID> departing = ConcurrentHashMap.newKeySet();
  /** The hub nodes of the last majority this member was part of, less those known to be gone. */
  private final Set<UUID> baseline = new HashSet<>();

  /** @param minMembers hub nodes a side needs; 0: a strict majority of the baseline */
  MajorityRule(int minMembers) {
    this.minMembers = minMembers;
  }

  @Override
  public synchronized boolean apply(Collection<Member> members) {
    Set<UUID> hubs = new HashSet<>();
    for (Member member : members) {
      if (member.getAttribute(ClusterSetup.HUB_ATTRIBUTE) != null && !departing.contains(member.getUuid())) {
        hubs.add(member.getUuid());
      }
    }
    departing.removeIf(uuid -> members.stream().noneMatch(m -> m.getUuid().equals(uuid)));
    if (minMembers > 0) {
      return hubs.size() >= minMembers;
    }
    if (hubs.size() * 2 > baseline.size()) {
      // A majority is the new baseline: the nodes it lost can no longer form one elsewhere.
      baseline.clear();
      baseline.addAll(hubs);
      return true;
    }
    return false;
  }

  /**
   * A hub node is gone for sure, so the majority is counted without it from now on: it announced
   * that it leaves on purpose, or its process no longer listens (see {@link ClusterQuorum}).
   */
  synchronized void gone(UUID member) {
    departing.add(member);
    baseline.remove(member);
  }

  /** The number of hub nodes a majority is counted from; for logs and tests. */
  synchronized int baselineSize() {
    return baseline.size();
  }
}
