package io.pushhub.sse;

import io.pushhub.broadcast.LocalSubscribers;
import io.pushhub.limits.Limits;
import io.pushhub.metrics.HubMetrics;
import io.pushhub.replay.ReplayStore;

/** What every stream of one verticle instance shares. */
record StreamDeps(StreamSettings settings, ReplayStore store, LocalSubscribers subscribers, LocalStreams streams,
                  HubMetrics metrics, Limits limits) {
}
