package io.pushhub.client;

/**
 * A publish the hub (or this client) refused: the documented HTTP status and error code, and the
 * {@code Retry-After} it asked for (0 when none). {@link #retryable()} says whether trying the
 * same event again later can succeed.
 */
public final class PublishException extends RuntimeException {

  /** Status for failures with no HTTP answer: timeouts and connection errors. */
  public static final int NO_ANSWER = 0;

  private final int status;
  private final String code;
  private final int retryAfterSeconds;

  public PublishException(int status, String code, String message, int retryAfterSeconds) {
    super(code + ": " + message, null, false, false);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /**
   * {@code 429}, {@code 503} and no answer at all (timeout, refused or reset connection): the event
   * may not have been stored, and its idempotency key makes another attempt safe. Anything else
   * (bad event, missing rights, too large) fails the same way every time.
   */
  public boolean retryable() {
    return status == 429 || status == 503 || status == NO_ANSWER;
  }
}
