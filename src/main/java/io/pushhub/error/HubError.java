package io.pushhub.error;

/**
 * The one vocabulary of refusals (docs/protocol.md): HTTP status, error code, and the {@code reason} label
 * of {@code pushhub_rejected_total}. Event-bus refusals carry the status as failure code and the
 * code as message.
 */
public enum HubError {
  BAD_REQUEST(400, "bad_request"),
  AUTH(401, "auth"),
  FORBIDDEN(403, "forbidden"),
  SIZE(413, "size"),
  RATE(429, "rate"),
  CAPACITY(503, "capacity"),
  DRAINING(503, "draining"),
  UNAVAILABLE(503, "unavailable");

  private final int status;
  private final String code;

  HubError(int status, String code) {
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** Whether the answer carries {@code Retry-After}. */
  public boolean retryable() {
    return status == 429 || status == 503;
  }

  public static HubError fromCode(String code) {
    for (HubError e : values()) {
      if (e.code.equals(code)) {
        return e;
      }
    }
    return null;
  }
}
