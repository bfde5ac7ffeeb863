package io.pushhub.mercure;

import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.pushhub.event.Event;
import io.pushhub.event.Position;
import io.pushhub.publish.PublishRequest;
import io.pushhub.publish.PublishService;
import io.pushhub.replay.ReplayStore;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * Mercure's active subscriptions on one node ({@code mercure.subscriptions}, docs/mercure.md):
 * each subscription of a stream is listed in the {@link SubscriptionRegistry} while the stream is
 * open, and its creation and end are published as private subscription events through the one
 * publish path.
 *
 * <p>Every subscription event is stored in one log, that of the topic {@link #LOG} (the event's
 * subscription topic is its alternate): one order for all of them, whose newest id is the
 * {@code lastEventID} of the subscriptions API, so a client that reads the API and then
 * subscribes from that id misses no change.
 */
public final class ActiveSubscriptions {

  /** The canonical topic of every subscription event. */
  public static final String LOG = ActiveSubscription.PATH;
  /** Subscriptions (selectors of open streams) one node lists at most; a stream past it is refused. */
  public static final int MAX_PER_NODE = 10_000;
  private static final Logger log = LoggerFactory.getLogger(ActiveSubscriptions.class);

  private final SubscriptionRegistry registry;
  private final PublishService publisher;
  private final ReplayStore store;
  private final int maxPerNode;
  private final AtomicInteger listed = new AtomicInteger();

  public ActiveSubscriptions(SubscriptionRegistry registry, PublishService publisher, ReplayStore store) {
    this(registry, publisher, store, MAX_PER_NODE);
  }

  ActiveSubscriptions(SubscriptionRegistry registry, PublishService publisher, ReplayStore store, int maxPerNode) {
    this.maxPerNode = maxPerNode;
    this.registry = registry;
    this.publisher = publisher;
    this.store = store;
    registry.onNodeLeft(ended -> ended.forEach(s -> publish(s, false)));
  }

  /**
   * Takes room for a stream's subscriptions, or throws {@link HubError#CAPACITY} (or a 400 for a
   * selector whose subscription id would pass {@link PublishRequest#MAX_HUB_TOPIC_BYTES}); the stream
   * {@link Stream#open opens} them, and a stream that never started {@link Stream#releaseUnopened releases} them.
   */
  Stream reserve(List<String> selectors, MercureClaims claims) {
    int n = selectors.size();
    if (listed.addAndGet(n) > maxPerNode) {
      listed.addAndGet(-n);
      throw new HubException(HubError.CAPACITY, "this node lists as many Mercure subscriptions as it may");
    }
    String subscriber = "urn:uuid:" + UUID.randomUUID();
    Object payload = claims == null ? null : claims.payload();
    List<ActiveSubscription> subscriptions = new ArrayList<>(n);
    for (String topic : selectors) {
      ActiveSubscription subscription = new ActiveSubscription(topic, subscriber, payload, registry.node());
      if (subscription.id().length() > PublishRequest.MAX_HUB_TOPIC_BYTES) {
        listed.addAndGet(-n);
        throw new HubException(HubError.BAD_REQUEST, "a topic selector is too long to be listed as an active subscription");
      }
      subscriptions.add(subscription);
    }
    return new Stream(subscriptions);
  }

  /** The subscriptions of every node. */
  public Future<List<ActiveSubscription>> all() {
    return registry.all();
  }

  /** The id of the newest subscription event, {@code earliest} when there is none. */
  public Future<String> lastEventId() {
    return store.head(LOG).map(head -> head.equals(Position.START) ? MercureIds.EARLIEST : MercureIds.generate(LOG, head));
  }

  private Future<Void> publish(ActiveSubscription subscription, boolean active) {
    PublishRequest event = new PublishRequest(LOG, null, subscription.event(active), null,
      new Event.Mercure(List.of(subscription.id()), true, null, 0));
    return publisher.publish(event).<Void>mapEmpty().onFailure(e -> log.warn("mercure subscription event not published {} {}",
      kv("subscription", subscription.id()), kv("active", active), e));
  }

  /** The subscriptions of one stream, listed from its start to its end. */
  final class Stream {

    private final List<ActiveSubscription> subscriptions;
    private Future<?> listing;
    private boolean done;

    private Stream(List<ActiveSubscription> subscriptions) {
      this.subscriptions = subscriptions;
    }

    /** Lists them and publishes their creation; put before publish, so the event is never ahead of the list. */
    void open() {
      if (done) {
        return; // closed before it started
      }
      listing = Future.join(subscriptions.stream()
        .map(s -> registry.put(s).compose(v -> publish(s, true))).toList());
    }

    /** After their creation was told: unlists them and publishes their end. */
    void close() {
      if (listing != null && !done) {
        listing.onComplete(ar -> subscriptions.forEach(s -> registry.remove(s).compose(v -> publish(s, false))
          .onFailure(e -> log.warn("mercure subscription not unlisted {}", kv("subscription", s.id()), e))));
      }
      release();
    }

    /** Gives back their room when the stream never started (it was refused, or its client left). */
    void releaseUnopened() {
      if (listing == null) {
        release();
      }
    }

    private void release() {
      if (!done) {
        done = true;
        listed.addAndGet(-subscriptions.size());
      }
    }
  }
}
