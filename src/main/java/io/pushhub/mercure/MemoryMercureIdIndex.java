package io.pushhub.mercure;

import io.pushhub.mercure.MercureIds.Location;
import io.vertx.core.Future;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/** The id index of a single node: the newest {@code maxEntries} ids, each for {@code ttlMillis}. */
public final class MemoryMercureIdIndex implements MercureIdIndex {

  private final int maxEntries;
  private final long ttlMillis;
  private final LongSupplier clock;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, false);

  public MemoryMercureIdIndex(int maxEntries, long ttlMillis) {
    this(maxEntries, ttlMillis, System::currentTimeMillis);
  }

  MemoryMercureIdIndex(int maxEntries, long ttlMillis, LongSupplier clock) {
    this.maxEntries = maxEntries;
    this.ttlMillis = ttlMillis;
    this.clock = clock;
  }

  @Override
  public Future<Void> put(String id, Location location) {
    long now = clock.getAsLong();
    synchronized (entries) {
      // Re-inserted, so that insertion order stays expiry order.
      entries.remove(id);
      entries.put(id, new Entry(location, now + ttlMillis));
      var oldest = entries.entrySet().iterator();
      while (oldest.hasNext()) {
        Map.Entry<String, Entry> next = oldest.next();
        if (entries.size() <= maxEntries && next.getValue().expiresAt > now) {
          break;
        }
        oldest.remove();
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Location> get(String id) {
    Entry entry;
    synchronized (entries) {
      entry = entries.get(id);
    }
    return Future.succeededFuture(entry == null || entry.expiresAt <= clock.getAsLong() ? null : entry.location);
  }

  int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  private record Entry(Location location, long expiresAt) {
  }
}
