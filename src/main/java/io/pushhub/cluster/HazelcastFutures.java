package io.pushhub.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/** Hazelcast's asynchronous results, brought back onto Vert.x. */
public final class HazelcastFutures {

  /** Runs a callback on the thread that completes the operation: a Hazelcast partition or response thread. */
  private static final Executor COMPLETING_THREAD = Runnable::run;

  private HazelcastFutures() {
  }

  /**
   * Completes on the caller's Vert.x context (or a new one off Vert.x). A plain {@code whenComplete}
   * on a Hazelcast future runs on Hazelcast's default executor, which starts a new thread for each
   * callback when the common fork-join pool has a single thread (two cores or fewer): here the
   * completing Hazelcast thread only hands the outcome over to the context, and does nothing else.
   */
  public static <T> Future<T> on(Vertx vertx, CompletionStage<T> stage) {
    Context current = Vertx.currentContext();
    Context context = current != null ? current : vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    stage.whenCompleteAsync((value, failure) -> context.runOnContext(v -> {
      if (failure != null) {
        promise.fail(failure);
      } else {
        promise.complete(value);
      }
    }), COMPLETING_THREAD);
    return promise.future();
  }
}
