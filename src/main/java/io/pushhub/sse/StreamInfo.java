package io.pushhub.sse;

import java.util.List;

/** What is known and counted of one stream, for its close log line and for admins. */
public final class StreamInfo {

  private final String id;
  private final String requestId;
  private final String remote;
  private final String user;
  private final String client;
  private final List<String> topics;
  private final long openedAtMillis;
  private long eventsSent;
  private long bytesSent;

  StreamInfo(String id, String requestId, String remote, String user, String client, List<String> topics,
             long openedAtMillis) {
    this.client = client;
    this.id = id;
    this.requestId = requestId;
    this.remote = remote;
    this.user = user;
    this.topics = topics;
    this.openedAtMillis = openedAtMillis;
  }

  public String id() {
    return id;
  }

  public String requestId() {
    return requestId;
  }

  public String remote() {
    return remote;
  }

  /** The token's subject, {@code null} without a token. */
  public String user() {
    return user;
  }

  /** Who the per-client limits count this stream against. */
  String client() {
    return client;
  }

  public List<String> topics() {
    return topics;
  }

  public long openedAtMillis() {
    return openedAtMillis;
  }

  public long eventsSent() {
    return eventsSent;
  }

  public long bytesSent() {
    return bytesSent;
  }

  void countEvent() {
    eventsSent++;
  }

  void countEvents(int count) {
    eventsSent += count;
  }

  void countBytes(long bytes) {
    bytesSent += bytes;
  }
}
