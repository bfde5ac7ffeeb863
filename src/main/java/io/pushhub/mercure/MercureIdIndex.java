package io.pushhub.mercure;

import io.pushhub.mercure.MercureIds.Location;
import io.vertx.core.Future;

/**
 * Where the update of a publisher-supplied id sits, so that {@code Last-Event-ID} can name it on
 * any node. Entries live as long as the replay store keeps events ({@code replay.maxAgeSeconds})
 * and their number is bounded: a forgotten id is an unknown id (docs/mercure.md). An id used
 * twice names its latest update. Futures complete on the caller's context.
 */
public interface MercureIdIndex {

  /** Ids kept at most: by a single node, or by each member of a cluster. */
  int MAX_IDS = 100_000;

  Future<Void> put(String id, Location location);

  /** The id's location, or {@code null} when it is unknown or was forgotten. */
  Future<Location> get(String id);
}
