package io.pushhub.limits;

import io.pushhub.config.HubConfig;
import io.pushhub.error.HubError;
import io.pushhub.error.HubException;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The per-node limits of docs/configuration.md, shared by the node's event loops: streams per node and per
 * client, new streams per second per client, publishes per second per client (token buckets that
 * refill continuously). A client is the token's subject, else its address. Idle clients are
 * forgotten by {@link #sweep()}, so the maps stay as small as the set of active clients.
 */
public final class Limits {

  private static final long IDLE_NANOS = 60_000_000_000L;

  private final HubConfig.Limits config;
  private final LongSupplier nanos;
  private final AtomicInteger streams = new AtomicInteger();
  private final Map<String, AtomicInteger> streamsByClient = new ConcurrentHashMap<>();
  private final Map<String, TokenBucket> connects = new ConcurrentHashMap<>();
  private final Map<String, TokenBucket> publishes = new ConcurrentHashMap<>();

  public Limits(HubConfig.Limits config, LongSupplier nanos) {
    this.config = config;
    this.nanos = nanos;
  }

  /** Takes a stream slot for {@code client}, or refuses; a taken slot is given back with {@link #closeStream}. */
  public void openStream(String client) {
    long now = nanos.getAsLong();
    TokenBucket bucket = connects.computeIfAbsent(client, c -> new TokenBucket(config.connectsPerSecondPerClient(), now));
    long wait = bucket.take(now);
    if (wait > 0) {
      throw new HubException(HubError.RATE, "too many new streams from this client", seconds(wait));
    }
    if (streams.incrementAndGet() > config.maxConnections()) {
      streams.decrementAndGet();
      throw new HubException(HubError.CAPACITY, "this node holds as many streams as it may", 1);
    }
    AtomicInteger mine = streamsByClient.computeIfAbsent(client, c -> new AtomicInteger());
    if (mine.incrementAndGet() > config.maxConnectionsPerClient()) {
      mine.decrementAndGet();
      streams.decrementAndGet();
      throw new HubException(HubError.RATE, "this client holds as many streams as it may", 1);
    }
  }

  public void closeStream(String client) {
    streams.decrementAndGet();
    AtomicInteger mine = streamsByClient.get(client);
    if (mine != null && mine.decrementAndGet() <= 0) {
      streamsByClient.remove(client, mine);
    }
  }

  public void publish(String client) {
    long now = nanos.getAsLong();
    long wait = publishes.computeIfAbsent(client, c -> new TokenBucket(config.publishesPerSecond(), now)).take(now);
    if (wait > 0) {
      throw new HubException(HubError.RATE, "this client publishes faster than its limit", seconds(wait));
    }
  }

  /** Forgets buckets that have been idle (and so are full) for a minute. */
  public void sweep() {
    long now = nanos.getAsLong();
    for (Map<String, TokenBucket> buckets : java.util.List.of(connects, publishes)) {
      for (Iterator<TokenBucket> it = buckets.values().iterator(); it.hasNext(); ) {
        if (it.next().idleSince(now) > IDLE_NANOS) {
          it.remove();
        }
      }
    }
  }

  private static int seconds(long nanos) {
    return (int) Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
  }

  /** {@code perSecond} tokens a second, at most {@code perSecond} saved up. */
  static final class TokenBucket {
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;

    TokenBucket(int perSecond, long now) {
      this.perNano = perSecond / 1e9;
      this.capacity = perSecond;
      this.tokens = perSecond;
      this.last = now;
    }

    /** Takes a token: 0 when granted, else the nanoseconds until one is available. */
    synchronized long take(long now) {
      tokens = Math.min(capacity, tokens + (now - last) * perNano);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / perNano);
    }

    synchronized long idleSince(long now) {
      return now - last;
    }
  }
}
