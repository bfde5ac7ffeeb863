package io.pushhub.error;

/** A refusal with its SPEC code and a message for the client; no stack trace, it is not a bug. */
public final class HubException extends RuntimeException {

  private final HubError error;
  private final int retryAfterSeconds;
  private final String challenge;

  public HubException(HubError error, String message) {
    this(error, message, 1);
  }

  public HubException(HubError error, String message, int retryAfterSeconds) {
    this(error, message, retryAfterSeconds, "Bearer");
  }

  private HubException(HubError error, String message, int retryAfterSeconds, String challenge) {
    super(message, null, false, false);
    this.error = error;
    this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    this.challenge = challenge;
  }

  /** A presented token that failed verification: 401 with {@code error="invalid_token"} in the challenge. */
  public static HubException invalidToken(String message) {
    return new HubException(HubError.AUTH, message, 1, "Bearer error=\"invalid_token\"");
  }

  /** The {@code WWW-Authenticate} value of a 401. */
  public String challenge() {
    return challenge;
  }

  public HubError error() {
    return error;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
