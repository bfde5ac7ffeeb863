package io.pushhub.support;

import io.vertx.core.Vertx;

/** Stops what a test class started, in the order given, skipping what never started. */
public final class Teardown {

  private Teardown() {
  }

  /** Closes each part that is not null; a part's failure does not stop the others, and is rethrown at the end. */
  public static void closeAll(Vertx vertx, AutoCloseable... parts) {
    RuntimeException first = null;
    for (AutoCloseable part : parts) {
      try {
        if (part != null) {
          part.close();
        }
      } catch (Exception e) {
        first = first == null ? new IllegalStateException("closing " + part, e) : first;
      }
    }
    if (vertx != null) {
      Await.result(vertx.close());
    }
    if (first != null) {
      throw first;
    }
  }
}
