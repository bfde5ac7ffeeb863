package io.pushhub.client;

/**
 * Settings of a {@link PushhubPublisher}; {@link #defaults()} then {@code with…} for the few to change.
 *
 * @param baseUrl hub (or load balancer) URL for HTTP publishing, e.g. {@code http://hub:8080}; unused over the event bus
 * @param token bearer token with the {@code publish} right, for HTTP; null for none (development mode)
 * @param attemptTimeoutMillis one attempt without an answer for this long is a timeout (retryable)
 * @param maxAttempts attempts per event, the first included
 * @param backoffBaseMillis ceiling of the first retry's delay; doubles per retry
 * @param backoffCapMillis largest ceiling of a retry's delay
 * @param maxInFlight events being attempted at once; more wait in a queue
 * @param maxQueued events waiting beyond that; more fail at once ({@code 429 rate}, not retried)
 * @param breakerMaxFailures failed attempts (no answer or 503) within 10 s that open this client's breaker
 * @param breakerResetMillis how long the breaker stays open before one attempt probes the hub again
 */
public record PublisherOptions(String baseUrl, String token, long attemptTimeoutMillis, int maxAttempts,
                               long backoffBaseMillis, long backoffCapMillis, int maxInFlight, int maxQueued,
                               int breakerMaxFailures, long breakerResetMillis) {

  public PublisherOptions {
    if (attemptTimeoutMillis <= 0 || maxAttempts < 1 || maxInFlight < 1 || maxQueued < 0 || breakerMaxFailures < 1
      || breakerResetMillis <= 0) {
      throw new IllegalArgumentException("publisher options out of range: " + this);
    }
    new Backoff(backoffBaseMillis, backoffCapMillis, () -> 0); // validates base and cap
  }

  public static PublisherOptions defaults() {
    return new PublisherOptions("http://127.0.0.1:8080", null, 5_000, 6, 100, 10_000, 64, 10_000, 20, 5_000);
  }

  public PublisherOptions withBaseUrl(String url) {
    return new PublisherOptions(url, token, attemptTimeoutMillis, maxAttempts, backoffBaseMillis, backoffCapMillis,
      maxInFlight, maxQueued, breakerMaxFailures, breakerResetMillis);
  }

  public PublisherOptions withToken(String bearer) {
    return new PublisherOptions(baseUrl, bearer, attemptTimeoutMillis, maxAttempts, backoffBaseMillis,
      backoffCapMillis, maxInFlight, maxQueued, breakerMaxFailures, breakerResetMillis);
  }

  public PublisherOptions withAttempts(int attempts, long timeoutMillis) {
    return new PublisherOptions(baseUrl, token, timeoutMillis, attempts, backoffBaseMillis, backoffCapMillis,
      maxInFlight, maxQueued, breakerMaxFailures, breakerResetMillis);
  }

  public PublisherOptions withBackoff(long baseMillis, long capMillis) {
    return new PublisherOptions(baseUrl, token, attemptTimeoutMillis, maxAttempts, baseMillis, capMillis,
      maxInFlight, maxQueued, breakerMaxFailures, breakerResetMillis);
  }

  public PublisherOptions withWindow(int inFlight, int queued) {
    return new PublisherOptions(baseUrl, token, attemptTimeoutMillis, maxAttempts, backoffBaseMillis,
      backoffCapMillis, inFlight, queued, breakerMaxFailures, breakerResetMillis);
  }

  public PublisherOptions withBreaker(int maxFailures, long resetMillis) {
    return new PublisherOptions(baseUrl, token, attemptTimeoutMillis, maxAttempts, backoffBaseMillis,
      backoffCapMillis, maxInFlight, maxQueued, maxFailures, resetMillis);
  }
}
