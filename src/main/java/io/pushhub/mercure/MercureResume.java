package io.pushhub.mercure;

import io.pushhub.event.Cursor;
import io.pushhub.event.Event;
import io.pushhub.event.Position;
import io.pushhub.mercure.MercureIds.Earliest;
import io.pushhub.mercure.MercureIds.Generated;
import io.pushhub.mercure.MercureIds.Location;
import io.pushhub.mercure.MercureIds.Supplied;
import io.pushhub.replay.ReplayStore;
import io.vertx.core.Future;

/**
 * What a Mercure subscriber resumes from, decided before its stream's headers go out, since the
 * response's {@code Last-Event-ID} header tells it (docs/mercure.md): the id it sent when that
 * update is retained, else {@code earliest}. A generated id says where its update is; a
 * publisher's id is looked up in the id index, which any node of a cluster reads.
 *
 * @param kind what the stream replays
 * @param named the update the id names ({@link Kind#AFTER} only)
 * @param namedAtMicros when that update was stored ({@link Kind#AFTER} only)
 * @param header the response's {@code Last-Event-ID}, {@code null} when the subscriber sent none
 */
record MercureResume(Kind kind, Location named, long namedAtMicros, String header) {

  enum Kind {
    /** Live updates only. */
    LIVE,
    /** Every retained update of the topics the stream names exactly. */
    EARLIEST,
    /** The updates after the named one. */
    AFTER
  }

  static final MercureResume LIVE = new MercureResume(Kind.LIVE, null, 0, null);
  private static final MercureResume UNKNOWN = new MercureResume(Kind.LIVE, null, 0, MercureIds.EARLIEST);

  /** @param lastEventId what the subscriber sent, {@code null} for nothing */
  static Future<MercureResume> of(String lastEventId, MercureIdIndex index, ReplayStore store) {
    if (lastEventId == null) {
      return Future.succeededFuture(LIVE);
    }
    MercureIds.LastEventId named = MercureIds.parse(lastEventId);
    if (named instanceof Earliest) {
      return Future.succeededFuture(new MercureResume(Kind.EARLIEST, null, 0, MercureIds.EARLIEST));
    }
    if (named instanceof Generated generated) {
      return after(generated.location(), lastEventId, store);
    }
    return index.get(((Supplied) named).id())
      .compose(location -> location == null ? Future.succeededFuture(UNKNOWN) : after(location, lastEventId, store));
  }

  /**
   * Resumes after the named update if the store still has it, else starts live. The update found
   * at the position must be the one the id names (its publisher's id, or the generated id with
   * its check): a node cut off from the cluster may have shown the subscriber one the log does not
   * keep, and resuming after its position would skip the update the log has there.
   */
  private static Future<MercureResume> after(Location named, String id, ReplayStore store) {
    Position at = named.position();
    return store.readAfter(named.topic(), new Position(at.epoch(), at.seq() - 1)).map(replay -> {
      Event first = replay.events().isEmpty() ? null : replay.events().get(0);
      boolean retained = replay.gap() == ReplayStore.Gap.NONE && first != null && first.position().equals(at)
        && names(id, first);
      return retained ? new MercureResume(Kind.AFTER, named, first.publishedAtMicros(), id) : UNKNOWN;
    });
  }

  /** Whether {@code id} is the id of {@code update}; a generated id without a check names whatever is at its position. */
  private static boolean names(String id, Event update) {
    String own = MercureIds.of(update);
    if (own.equals(id)) {
      return true;
    }
    return MercureIds.parse(id) instanceof Generated generated && generated.check() == Cursor.NO_CHECK
      && own.equals(MercureIds.generate(update.topic(), update.position(), update.check()));
  }
}
