package io.pushhub.error;

/** A refusal with its SPEC code and a message for the client; no stack trace, it is not a bug. */
public final class HubException extends RuntimeException {

  private final HubError error;
  private final int retryAfterSeconds;

  public HubException(HubError error, String message) {
    this(error, message, 1);
  }

  public HubException(HubError error, String message, int retryAfterSeconds) {
    super(message, null, false, false);
    this.error = error;
    this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
  }

  public HubError error() {
    return error;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
