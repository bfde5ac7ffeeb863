package io.pushhub.support;

import io.pushhub.event.Event;
import io.pushhub.event.Position;
import io.pushhub.replay.ReplayStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.List;

/** A replay store whose appends can be made to fail or to hang, for fault-injection tests. */
public final class FaultyStore implements ReplayStore {

  public enum Mode { HEALTHY, FAILING, HANGING }

  private final ReplayStore delegate;
  private volatile Mode mode = Mode.HEALTHY;

  public FaultyStore(ReplayStore delegate) {
    this.delegate = delegate;
  }

  public void mode(Mode mode) {
    this.mode = mode;
  }

  @Override
  public Future<Appended> append(Event draft) {
    return switch (mode) {
      case HEALTHY -> delegate.append(draft);
      case FAILING -> Future.failedFuture(new IllegalStateException("injected store failure"));
      case HANGING -> Promise.<Appended>promise().future();
    };
  }

  @Override
  public Future<Replay> readAfter(String topic, Position after) {
    return delegate.readAfter(topic, after);
  }

  @Override
  public Future<Position> head(String topic) {
    return delegate.head(topic);
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
