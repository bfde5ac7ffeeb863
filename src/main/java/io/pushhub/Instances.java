package io.pushhub;

import io.pushhub.sse.CloseReason;
import io.vertx.core.Future;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The node's HTTP verticle instances once they listen: their streams, counted and closed together. */
final class Instances {

  private final List<HubVerticle> listening = new CopyOnWriteArrayList<>();
  private volatile int port;

  void listening(HubVerticle instance, int actualPort) {
    listening.add(instance);
    port = actualPort;
  }

  int port() {
    return port;
  }

  void closeAll(long spreadMillis, CloseReason reason) {
    listening.forEach(instance -> instance.closeAll(spreadMillis, reason));
  }

  int openStreams() {
    return listening.stream().mapToInt(HubVerticle::openStreams).sum();
  }

  long slowConsumerCloses() {
    return listening.stream().mapToLong(HubVerticle::slowConsumerCloses).sum();
  }

  int subscriptions() {
    return listening.stream().mapToInt(HubVerticle::subscriptions).sum();
  }

  Future<List<HubVerticle.InstanceView>> views() {
    List<Future<HubVerticle.InstanceView>> views = listening.stream().map(HubVerticle::view).toList();
    return Future.all(views).map(all -> views.stream().map(Future::result).toList());
  }

  /** Whether one of the instances held the stream {@code connectionId} and closed it. */
  Future<Boolean> close(String connectionId) {
    List<Future<Boolean>> attempts = listening.stream().map(i -> i.close(connectionId)).toList();
    return Future.all(attempts).map(all -> attempts.stream().anyMatch(Future::result));
  }
}
