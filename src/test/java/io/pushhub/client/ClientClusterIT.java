package io.pushhub.client;

import io.pushhub.support.Await;
import io.pushhub.support.HubCluster;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client library across a node's death: a subscriber on node 0, a publisher on node 1; node 0
 * is killed (SIGKILL) and started again on its port while events keep coming. The subscriber
 * reconnects with backoff, resumes from its cursor, and ends with every event once, in order.
 */
@Tag("slow")
class ClientClusterIT {

  @TempDir
  Path dir;

  @Test
  void subscriberResumesAcrossAKilledAndRestartedNodeWithoutAGap() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (HubCluster cluster = new HubCluster(dir, "{\"http\": {\"port\": 0, \"instances\": 1},"
      + " \"sse\": {\"heartbeatSeconds\": 1}, \"limits\": {\"publishesPerSecond\": 1000000}}")) {
      cluster.start(2);
      SubscriberTest.Recorder recorder = new SubscriberTest.Recorder();
      PushhubSubscriber subscriber = PushhubSubscriber.create(vertx,
        SubscriberOptions.of("http://127.0.0.1:" + cluster.port(0), "cc/t").withHeartbeatSeconds(1)
          .withBackoff(50, 500), recorder).start();
      PushhubPublisher publisher = PushhubPublisher.overHttp(vertx, PublisherOptions.defaults()
        .withBaseUrl("http://127.0.0.1:" + cluster.port(1)));
      await().until(() -> recorder.connects.get() == 1);

      publishRange(publisher, 0, 100);
      await().until(() -> recorder.events.size() == 100);
      cluster.node(0).sigkill();
      publishRange(publisher, 100, 200);
      await().until(() -> !recorder.disconnects.isEmpty());
      cluster.restart(0);
      publishRange(publisher, 200, 300);

      await().atMost(Duration.ofSeconds(60)).until(() -> recorder.events.size() >= 300);
      assertThat(recorder.data()).containsExactlyElementsOf(IntStream.range(0, 300).mapToObj(Integer::toString).toList());
      assertThat(recorder.connects.get()).isGreaterThanOrEqualTo(2);
      assertThat(recorder.resyncs).isEmpty();
      Await.result(subscriber.stop());
      Await.result(publisher.close());
    } finally {
      Await.result(vertx.close());
    }
  }

  /**
   * One event at a time, so the topic's order is the numbers' order. While a node dies, the hub
   * answers 503 with a Retry-After of its breaker's reset time and the publisher retries: a publish
   * may take up to the client's retry budget (6 attempts, each up to 5 s plus that wait).
   */
  private static void publishRange(PushhubPublisher publisher, int from, int to) {
    for (int i = from; i < to; i++) {
      Await.result(publisher.publish("cc/t", Integer.toString(i)), 60);
    }
  }

}
