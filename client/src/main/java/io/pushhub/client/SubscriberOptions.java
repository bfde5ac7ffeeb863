package io.pushhub.client;

import java.util.List;

/**
 * Settings of a {@link PushhubSubscriber}.
 *
 * @param baseUrl hub (or load balancer) URL, e.g. {@code https://hub.example.com}
 * @param topics the stream's topics (one cursor covers them all)
 * @param heartbeatSeconds the hub's {@code sse.heartbeatSeconds}: a stream silent for 2.5 times this is dead
 * @param backoffBaseMillis ceiling of the first reconnection delay; doubles per failed attempt
 * @param backoffCapMillis largest ceiling of a reconnection delay
 * @param lastEventId where to resume on the first connection (a cursor kept from an earlier run), or null
 */
public record SubscriberOptions(String baseUrl, List<String> topics, int heartbeatSeconds, long backoffBaseMillis,
                                long backoffCapMillis, String lastEventId) {

  public SubscriberOptions {
    topics = List.copyOf(topics);
    if (topics.isEmpty() || heartbeatSeconds < 1) {
      throw new IllegalArgumentException("need at least one topic and heartbeatSeconds >= 1");
    }
    new Backoff(backoffBaseMillis, backoffCapMillis, () -> 0); // validates base and cap
  }

  public static SubscriberOptions of(String baseUrl, String... topics) {
    return new SubscriberOptions(baseUrl, List.of(topics), 15, 500, 30_000, null);
  }

  public SubscriberOptions withHeartbeatSeconds(int seconds) {
    return new SubscriberOptions(baseUrl, topics, seconds, backoffBaseMillis, backoffCapMillis, lastEventId);
  }

  public SubscriberOptions withBackoff(long baseMillis, long capMillis) {
    return new SubscriberOptions(baseUrl, topics, heartbeatSeconds, baseMillis, capMillis, lastEventId);
  }

  public SubscriberOptions resumingFrom(String cursor) {
    return new SubscriberOptions(baseUrl, topics, heartbeatSeconds, backoffBaseMillis, backoffCapMillis, cursor);
  }

  long deadAfterMillis() {
    return heartbeatSeconds * 2500L;
  }
}
