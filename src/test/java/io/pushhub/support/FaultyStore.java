package io.pushhub.support;

import io.pushhub.event.Event;
import io.pushhub.event.Position;
import io.pushhub.replay.ReplayStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A replay store whose appends can be made to fail or to hang, or an event to be lost on its way
 * to delivery, for fault-injection tests.
 */
public final class FaultyStore implements ReplayStore {

  public enum Mode { HEALTHY, FAILING, HANGING }

  private final ReplayStore delegate;
  private volatile Mode mode = Mode.HEALTHY;
  private volatile String losing;
  private final AtomicBoolean leftOut = new AtomicBoolean();
  private final AtomicInteger followFailures = new AtomicInteger();

  public FaultyStore(ReplayStore delegate) {
    this.delegate = delegate;
  }

  public void mode(Mode mode) {
    this.mode = mode;
  }

  /** The next {@code count} follows fail, as they do when the store cannot be reached. */
  public void failFollows(int count) {
    followFailures.set(count);
  }

  /**
   * The next event with {@code data} is stored, but its append is answered as a failure, so that
   * it is never handed over for delivery; and the first read that would return it leaves it out,
   * as a store replica that has not caught up would. Later reads return it.
   */
  public void loseOnItsWay(String data) {
    leftOut.set(false);
    losing = data;
  }

  @Override
  public Future<Appended> append(Event draft) {
    if (draft.data().equals(losing)) {
      return delegate.append(draft).compose(stored -> Future.failedFuture(new IllegalStateException("injected loss")));
    }
    return switch (mode) {
      case HEALTHY -> delegate.append(draft);
      case FAILING -> Future.failedFuture(new IllegalStateException("injected store failure"));
      case HANGING -> Promise.<Appended>promise().future();
    };
  }

  @Override
  public Future<Replay> readAfter(String topic, Position after) {
    return delegate.readAfter(topic, after).map(replay -> {
      List<Event> kept = replay.events().stream().filter(e -> !e.data().equals(losing)).toList();
      boolean leaveOut = kept.size() < replay.events().size() && leftOut.compareAndSet(false, true);
      return leaveOut ? new Replay(kept, replay.gap(), replay.head()) : replay;
    });
  }

  @Override
  public Future<Position> head(String topic) {
    return delegate.head(topic);
  }

  @Override
  public Future<Position> follow(String topic) {
    if (followFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return Future.failedFuture(new IllegalStateException("injected: store unreachable"));
    }
    return delegate.follow(topic);
  }

  @Override
  public Future<Void> unfollow(String topic) {
    return delegate.unfollow(topic);
  }

  @Override
  public Future<Void> purge(String topic) {
    return delegate.purge(topic);
  }

  @Override
  public Future<TopicStats> stats(String topic) {
    return delegate.stats(topic);
  }

  @Override
  public Future<List<Event>> latest(String topic, int count) {
    return delegate.latest(topic, count);
  }

  @Override
  public Future<List<String>> topics(String prefix, int limit) {
    return delegate.topics(prefix, limit);
  }
}
