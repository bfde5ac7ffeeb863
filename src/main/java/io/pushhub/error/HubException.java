package io.pushhub.error;

import java.util.function.Function;

/** A refusal with its documented code and a message for the client; no stack trace, it is not a bug. */
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

  /**
   * {@code cause} when it is a refusal, else {@code otherwise}'s answer for it (a fault of the hub
   * or of its store, which the caller logs): how every path turns a failure into a refusal.
   */
  public static HubException of(Throwable cause, Function<Throwable, HubException> otherwise) {
    return cause instanceof HubException e ? e : otherwise.apply(cause);
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
