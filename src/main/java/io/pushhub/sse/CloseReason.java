package io.pushhub.sse;

/** Why a stream ended; logged at close and counted. */
public enum CloseReason {
  /** The client went away. */
  CLIENT_CLOSED("client-closed"),
  /** Its unsent backlog passed {@code sse.maxQueuedBytes}; it resumes when it reconnects. */
  SLOW_CONSUMER("slow-consumer"),
  /** The node is draining and spreads its streams over the other nodes. */
  DRAINING("draining"),
  /** The node is cut off from the cluster's majority; its clients resume on the majority. */
  CUT_OFF("cut-off"),
  /** The node stood still (a long pause) and may have missed that the cluster moved on; the client resumes elsewhere. */
  PAUSED("paused"),
  /** The replay store could not fill a gap it should hold (a stale view of the cluster); the client resumes elsewhere. */
  STORE_BEHIND("store-behind"),
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
