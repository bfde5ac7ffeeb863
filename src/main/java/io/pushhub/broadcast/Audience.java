package io.pushhub.broadcast;

/**
 * Subscribers on one instance that a run is for, served one by one by index, from the last
 * down: one that leaves moves one already served, never one still to serve.
 */
public interface Audience {

  int size();

  /** Hands {@code run} to the subscriber at {@code index}; how many events it wrote. */
  int serve(int index, EventRun run);
}
