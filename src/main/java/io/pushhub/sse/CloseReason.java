package io.pushhub.sse;

/** Why a stream ended; logged at close and counted. */
public enum CloseReason {
  /** The client went away. */
  CLIENT_CLOSED("client-closed"),
  /** Its unsent backlog passed {@code sse.maxQueuedBytes}; it resumes when it reconnects. */
  SLOW_CONSUMER("slow-consumer"),
  /** The node is draining and spreads its streams over the other nodes. */
  DRAINING("draining"),
  /** An administrator closed it. */
  CLOSED_BY_ADMIN("closed-by-admin"),
  /** Its token expired. */
  TOKEN_EXPIRED("token-expired"),
  /** The connection failed. */
  ERROR("error");

  private final String label;

  CloseReason(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
