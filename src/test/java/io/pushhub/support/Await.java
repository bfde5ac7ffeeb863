package io.pushhub.support;

import io.vertx.core.Future;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocks a test thread on a future, with a bound. */
public final class Await {

  private Await() {
  }

  public static <T> T result(Future<T> future) {
    return result(future, 20);
  }

  public static <T> T result(Future<T> future, int seconds) {
    try {
      return future.await(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + seconds + " s", e);
    }
  }
}
