package io.pushhub.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.pushhub.event.Cursor;
import io.pushhub.event.Event;
import io.pushhub.event.Position;
import io.pushhub.replay.ReplayStore.Appended;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

import static io.pushhub.cluster.HazelcastReplayStore.on;

/**
 * Idempotency keys (docs/protocol.md {@code id}) across the cluster, in {@link ClusterSetup#KEYS}: a key
 * is claimed, with the claiming member's id, before its event is stored, and holds the event's
 * cursor after. A publish that finds the cursor answers with it; one that finds a claim waits for
 * it, or, if its member died, its store failed or it is too old, looks for the event in the ring
 * and answers with it, else takes the claim over and stores the event once.
 */
final class IdempotencyKeys {

  /** Marks a key being published; never the start of a cursor. */
  private static final String CLAIM = "claim:";
  /** Appended to a claim whose store failed: abandoned at once. */
  private static final String FAILED = ":failed";
  /** A claim this old is abandoned even if its member lives: far beyond any publish's timeout. */
  private static final long CLAIM_EXPIRY_MILLIS = 30_000;

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final IMap<String, String> keys;
  private final int maxAgeSeconds;
  private final Function<Event, Future<Event>> store;
  private final BiFunction<String, String, Future<Event>> find;

  /**
   * @param store appends an event to its topic's ring
   * @param find  the retained event of a topic with a key, or null
   */
  IdempotencyKeys(Vertx vertx, HazelcastInstance hazelcast, int maxAgeSeconds, Function<Event, Future<Event>> store,
                  BiFunction<String, String, Future<Event>> find) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.keys = hazelcast.getMap(ClusterSetup.KEYS);
    this.maxAgeSeconds = maxAgeSeconds;
    this.store = store;
    this.find = find;
  }

  /** Stores {@code draft}, which has a key, unless an event with that key is stored already. */
  Future<Appended> append(Event draft) {
    String keyName = HazelcastReplayStore.partitionKey(draft.topic()) + "\u0000" + draft.key();
    String claim = newClaim();
    // IMap has no asynchronous putIfAbsent: a short remote call, kept off the event loop.
    return vertx.executeBlocking(() -> keys.putIfAbsent(keyName, claim, maxAgeSeconds, TimeUnit.SECONDS), false)
      .compose(previous -> previous == null
        ? appendClaimed(draft, keyName, claim)
        : firstWithKey(draft, keyName, previous, 0));
  }

  /**
   * This node holds the key's claim: store the event, then record its cursor under the key. If
   * the store fails, the claim is marked abandoned, so that a retry need not wait for it to age:
   * the retry looks in the ring first, where a store that failed late may still have put it.
   */
  private Future<Appended> appendClaimed(Event draft, String keyName, String claim) {
    return store.apply(draft)
      .recover(failure -> vertx.executeBlocking(() -> keys.replace(keyName, claim, claim + FAILED), false)
        .transform(marked -> Future.failedFuture(failure)))
      .compose(event -> on(vertx, keys.setAsync(keyName, event.cursor(), maxAgeSeconds, TimeUnit.SECONDS))
        .map(v -> new Appended(event, false)));
  }

  /** A publish with this key was seen: answer with its cursor, waiting briefly if it is still being stored. */
  private Future<Appended> firstWithKey(Event draft, String keyName, String seen, int attempt) {
    if (seen == null) {
      return append(draft);
    }
    if (!seen.startsWith(CLAIM)) {
      Map<Integer, Cursor.Entry> parsed = Cursor.parse(seen);
      Cursor.Entry entry = parsed == null ? null : parsed.get(Cursor.tag(draft.topic()));
      if (entry != null) {
        return Future.succeededFuture(new Appended(draft.withPosition(entry.position(), 0), true));
      }
    } else if (abandoned(seen)) {
      return takeOver(draft, keyName, seen);
    }
    if (attempt > 100) {
      return Future.failedFuture(new HubException(HubError.UNAVAILABLE, "a publish with this id is still in progress"));
    }
    Promise<Appended> retried = Promise.promise();
    vertx.setTimer(20, t -> on(vertx, keys.getAsync(keyName))
      .compose(current -> firstWithKey(draft, keyName, current, attempt + 1))
      .onComplete(retried));
    return retried.future();
  }

  /**
   * The node that claimed this key died (or hung) between claiming it and recording the event's
   * cursor: the event may be in the ring already, delivered even. If it is, answer with it (and
   * record it); else claim the key in its place and store the event.
   */
  private Future<Appended> takeOver(Event draft, String keyName, String abandonedClaim) {
    return find.apply(draft.topic(), draft.key()).compose(stored -> {
      if (stored != null) {
        return on(vertx, keys.setAsync(keyName, stored.cursor(), maxAgeSeconds, TimeUnit.SECONDS))
          .map(v -> new Appended(stored, true));
      }
      String claim = newClaim();
      return vertx.executeBlocking(() -> keys.replace(keyName, abandonedClaim, claim), false)
        .compose(won -> won
          ? appendClaimed(draft, keyName, claim)
          : on(vertx, keys.getAsync(keyName)).compose(current -> firstWithKey(draft, keyName, current, 0)));
    });
  }

  /** A claim on a key: {@code CLAIM} member-uuid {@code :} claimed-at-millis. */
  private String newClaim() {
    return CLAIM + hazelcast.getCluster().getLocalMember().getUuid() + ":" + System.currentTimeMillis();
  }

  /** Whether the claim's store failed, its member has left the cluster, or it is older than any publish takes. */
  private boolean abandoned(String claim) {
    String[] parts = claim.substring(CLAIM.length()).split(":");
    // Two parts: uuid and time; a failed claim has a third.
    if (parts.length != 2 || System.currentTimeMillis() - Long.parseLong(parts[1]) > CLAIM_EXPIRY_MILLIS) {
      return true;
    }
    for (Member member : hazelcast.getCluster().getMembers()) {
      if (member.getUuid().toString().equals(parts[0])) {
        return false;
      }
    }
    return true;
  }
}
