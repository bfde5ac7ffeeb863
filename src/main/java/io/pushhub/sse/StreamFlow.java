package io.pushhub.sse;

import io.pushhub.broadcast.EventRun;

/**
 * What one protocol decides for an {@link SseConnection}: what it subscribes to, what it replays
 * when it starts, and which events it writes, in which frames. pushhub's {@code /events} is
 * {@link EventFlow}; the Mercure endpoint has its own. The connection keeps the rest: headers,
 * writes and backpressure, heartbeats, expiry, drain and close.
 */
public interface StreamFlow {

  /** Subscribes, replays what the stream resumes from, then goes live; on the stream's event loop. */
  void start();

  /** Events handed to the stream under the key it subscribed with (see {@link io.pushhub.broadcast.Subscriber}). */
  int onRun(int key, EventRun run);

  /** The stream ended: unsubscribe and drop what is held. */
  void stop();
}
