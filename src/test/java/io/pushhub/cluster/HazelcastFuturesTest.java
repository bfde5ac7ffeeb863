package io.pushhub.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.util.ConcurrencyUtil;
import com.hazelcast.map.IMap;
import io.pushhub.config.HubConfig;
import io.pushhub.support.Await;
import io.pushhub.support.InJvmCluster;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hazelcast's completions come back on the caller's context without Hazelcast's default
 * executor, which on a machine of two cores or fewer starts a thread per callback: the test
 * gives Hazelcast such an executor, whatever the machine, and counts what runs on it.
 */
class HazelcastFuturesTest {

  @Test
  void aCompletionIsHandedToTheCallersContextWithoutHazelcastsDefaultExecutor(@TempDir Path dir) throws Exception {
    HubConfig config = InJvmCluster.config(dir, new JsonObject());
    Executor original = ConcurrencyUtil.getDefaultAsyncExecutor();
    AtomicInteger threadsStarted = new AtomicInteger();
    ConcurrencyUtil.setDefaultAsyncExecutor(task -> {
      threadsStarted.incrementAndGet();
      new Thread(task).start();
    });
    Vertx vertx = Vertx.vertx();
    HazelcastInstance member = Hazelcast.newHazelcastInstance(ClusterSetup.hazelcastConfig(config.cluster(), config.replay()));
    try {
      IMap<String, String> map = member.getMap("futures");
      Context caller = vertx.getOrCreateContext();
      Promise<Boolean> allOnCaller = Promise.promise();
      caller.runOnContext(v -> Future.all(java.util.stream.IntStream.range(0, 100)
          .mapToObj(i -> HazelcastFutures.on(vertx, map.setAsync("k" + i, "v")).map(done -> Vertx.currentContext() == caller))
          .toList())
        .map(all -> all.<Boolean>list().stream().allMatch(onCaller -> onCaller))
        .onComplete(allOnCaller));
      assertThat(Await.result(allOnCaller.future())).isTrue();
      assertThat(threadsStarted).hasValue(0);
    } finally {
      ConcurrencyUtil.setDefaultAsyncExecutor(original);
      member.getLifecycleService().terminate();
      Await.result(vertx.close());
    }
  }
}
