package io.pushhub.loader;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * One stream of a {@link StormChild}, over a raw socket, touched only on the child's one event
 * loop. It keeps what checking in order needs and no event: its first and last position in its
 * topic (a gap between two positions goes to the child's gap list), the cursor of its last event
 * (for {@code Last-Event-ID}), and the times of the failover.
 */
final class StormStream {

  /** What the stream tells its child; all on the event loop. */
  interface Events {
    void status(StormStream stream, int status);

    /** The publisher's number {@code k} of the event just read (topic {@code k mod topics}), and when it was sent. */
    void event(StormStream stream, long k, long sent, long now);

    void resync(StormStream stream);
  }

  final int index;
  final int topic;
  private final Events events;
  private final byte[] line = new byte[256];
  private int length;
  private boolean overflow;
  private boolean statusSeen;
  private byte[] pendingId;

  NetSocket socket;
  /** Cursor of the last event counted, or null before any. */
  byte[] cursor;
  /** Positions in the topic of the first and last event read; -1 before any. */
  long first = -1;
  long last = -1;
  long lastAt;
  int received;
  int dup;
  /** The 200 on the first node, then on a survivor (0 until then). */
  boolean live;
  long answeredAt;
  /** When the stream had every event of its topic acknowledged before the kill (0: not yet, or not known yet). */
  long reachedAt;
  /** Attempts on the survivors, and when the current one began connecting. */
  int attempts;
  long attemptStartedAt;
  /** The Last-Event-ID of the latest attempt on a survivor (to show with a duplicate). */
  String resumedWith;
  /** Refusals in a row (for the backoff). */
  int failures;
  /** Closes after the stream was answered on a survivor (each is a resume more). */
  int closesAfterAnswer;

  StormStream(int index, int topic, Events events) {
    this.index = index;
    this.topic = topic;
    this.events = events;
  }

  /** A new connection: the status line comes first again. */
  void reset(NetSocket socket) {
    this.socket = socket;
    statusSeen = false;
    length = 0;
    overflow = false;
    pendingId = null;
  }

  boolean statusPending() {
    return !statusSeen;
  }

  void feed(Buffer buffer) {
    long now = Clock.micros();
    byte[] bytes = buffer.getBytes();
    for (byte b : bytes) {
      if (b == '\n' || b == '\r') {
        if (!overflow) {
          onLine(now);
        }
        length = 0;
        overflow = false;
      } else if (length < line.length) {
        line[length++] = b;
      } else {
        // Only the first bytes of a data line matter (the publisher's number).
        onLine(now);
        overflow = true;
        length = 0;
      }
    }
  }

  private void onLine(long now) {
    if (!statusSeen) {
      statusSeen = true;
      int status = length >= 12 ? (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0') : 0;
      events.status(this, status);
      return;
    }
    if (startsWith("id: ")) {
      pendingId = java.util.Arrays.copyOfRange(line, 4, length);
    } else if (startsWith("event: resync")) {
      events.resync(this);
    } else if (startsWith("data: ") && length > 6 && line[6] >= '0' && line[6] <= '9') {
      // "data: <k> <send time µs> <padding>"
      int i = 6;
      long k = 0;
      while (i < length && line[i] >= '0' && line[i] <= '9') {
        k = k * 10 + (line[i++] - '0');
      }
      long sent = 0;
      for (i++; i < length && line[i] >= '0' && line[i] <= '9'; i++) {
        sent = sent * 10 + (line[i] - '0');
      }
      // The cursor moves only with a whole event read: a resume then asks for what follows it.
      if (pendingId != null) {
        cursor = pendingId;
        pendingId = null;
      }
      events.event(this, k, sent, now);
    }
  }

  private boolean startsWith(String prefix) {
    if (length < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (line[i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  String lastEventIdHeader() {
    return cursor == null ? "" : "Last-Event-ID: " + new String(cursor, java.nio.charset.StandardCharsets.UTF_8) + "\r\n";
  }
}
