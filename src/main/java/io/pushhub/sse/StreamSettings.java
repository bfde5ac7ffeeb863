package io.pushhub.sse;

import io.pushhub.config.HubConfig;

/** What a stream needs from the configuration, in the units it uses. */
record StreamSettings(long heartbeatMillis, int retryMillis, int maxTopics, int maxQueuedBytes) {

  static StreamSettings of(HubConfig.Sse sse) {
    return new StreamSettings(sse.heartbeatSeconds() * 1000L, sse.retryMillis(), sse.maxTopicsPerConnection(),
      sse.maxQueuedBytes());
  }
}
