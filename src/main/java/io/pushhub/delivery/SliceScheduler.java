package io.pushhub.delivery;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;

import java.util.concurrent.TimeUnit;

/**
 * Runs long work on an instance's event loop in slices, each after the loop has polled its
 * sockets, so that a request arriving meanwhile (a resume, a publish) waits for one slice. The
 * next slice has to be scheduled: Netty runs queued tasks, and those they queue, for up to a
 * second (its task quantum) before it polls again.
 */
public final class SliceScheduler {

  /** Streams served per slice: enough to amortise the scheduling, few enough that a waiting request is read soon. */
  public static final int SLICE = 256;

  private final ContextInternal context;
  private final EventLoop eventLoop;

  public SliceScheduler(Context context) {
    this.context = (ContextInternal) context;
    this.eventLoop = this.context.nettyEventLoop();
  }

  /** Runs {@code slice} on the context once the loop has polled its sockets. */
  public void afterPoll(Runnable slice) {
    eventLoop.schedule(() -> context.emit(v -> slice.run()), 0, TimeUnit.NANOSECONDS);
  }

  /** How many to serve in this slice: all that is left once the loop closes, as it then takes no scheduled tasks. */
  public int budget() {
    return eventLoop.isShuttingDown() ? Integer.MAX_VALUE : SLICE;
  }
}
