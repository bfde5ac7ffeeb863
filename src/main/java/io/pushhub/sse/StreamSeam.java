package io.pushhub.sse;

import io.pushhub.broadcast.EventRun;
import io.pushhub.broadcast.FrameEncoder;
import io.pushhub.broadcast.SharedEvent;
import io.pushhub.event.Event;
import io.pushhub.metrics.HubMetrics;
import io.pushhub.replay.ReplayStore;
import io.pushhub.replay.ReplayStore.Gap;
import io.pushhub.sse.StreamPositions.Verdict;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * The order of one stream's events, for every protocol: its replay, the seam with live events,
 * and its gaps.
 *
 * <p>It keeps, per topic it tracks, the position of the last event it passed, and writes an event
 * only if it directly follows that position: an event already covered is a duplicate and dropped;
 * an event further ahead means a gap, filled from the replay store before going on. While it
 * replays (at start, or filling a gap) live events wait in a queue bounded by
 * {@code sse.maxQueuedBytes}. That is the whole seam between replay and live: whatever order
 * things arrive in, each tracked topic's events go out once, in position order, with every gap
 * either filled or reported as the protocol reports it. Events of topics it does not track (index
 * {@code -1}) go out as they come, in arrival order with the others.
 */
public final class StreamSeam {

  private static final Logger log = LoggerFactory.getLogger(StreamSeam.class);

  /** How the stream's protocol writes its events. */
  public interface Writes extends ReplayPieces.Appender {
    /**
     * A live event in its turn (its topic's position already moved past it); whether it wrote
     * it, rather than passing over one the stream may not see.
     */
    boolean send(int topicIndex, SharedEvent event);

    /** What tells the client that events of the topic are missing for good; may be empty. */
    Buffer unfilled(int topicIndex, Gap gap);
  }

  private enum State { STARTING, LIVE, CATCHING_UP }

  private final SseConnection stream;
  private final StreamPositions positions;
  private final HeldEvents held;
  private final ReplayStore store;
  private final HubMetrics metrics;
  private final Writes writes;
  private State state = State.STARTING;
  /** The topic whose gap was just filled from the store; a gap there again is reported, not refetched. */
  private int lastCatchUp = -1;
  /** What the store said of that gap: NONE means it returned all it holds, so a gap left is one it never saw. */
  private Gap lastCatchUpGap = Gap.NONE;

  /**
   * @param topics the topics it tracks by position, each unpositioned (it takes its first event
   *               as it comes) until {@link #startAt} or a replay positions it
   * @param frames the protocol's frames, whose sizes bound what it holds
   */
  public StreamSeam(SseConnection stream, String[] topics, ReplayStore store, HubMetrics metrics, int maxQueuedBytes,
                    FrameEncoder<SseFrame, ?> frames, Writes writes) {
    this.stream = stream;
    this.positions = new StreamPositions(topics);
    this.held = new HeldEvents(maxQueuedBytes, e -> e.encoded(frames).frame().length());
    this.store = store;
    this.metrics = metrics;
    this.writes = writes;
  }

  StreamPositions positions() {
    return positions;
  }

  /** Positions a tracked topic just before what a replay of it returned (its head when it returned nothing). */
  public void startAt(int topicIndex, ReplayStore.Replay replay) {
    positions.startAt(topicIndex, replay);
  }

  /** Moves a tracked topic past a replayed {@code event}; false when the stream had it already. */
  public boolean passIfNew(int topicIndex, Event event) {
    return positions.coverIfNew(topicIndex, event);
  }

  /** Writes {@code first}, then the replay, holding live events meanwhile; then {@code beforeLive}, then live. */
  public void replay(Buffer first, ReplayPieces pieces, Runnable beforeLive) {
    stream.replay(first, pieces, () -> {
      beforeLive.run();
      goLive();
    });
  }

  /**
   * Whether the stream may write {@code run} whole, as one write: it is live, the run's events
   * follow each other, and the first follows the topic's position (when it tracks it). The
   * stream then calls {@link #wroteWhole}.
   */
  public boolean inStep(int topicIndex, EventRun run) {
    return state == State.LIVE && run.consecutive()
      && (topicIndex < 0 || positions.followedBy(topicIndex, run.first().event().position()));
  }

  public void wroteWhole(int topicIndex, EventRun run) {
    if (topicIndex >= 0) {
      positions.advance(topicIndex, run.last().event());
      if (lastCatchUp == topicIndex) {
        lastCatchUp = -1;
      }
    }
  }

  /** A live event; whether it was written now (not dropped as a duplicate, passed over, nor held). */
  public boolean onEvent(int topicIndex, SharedEvent event) {
    if (state == State.LIVE) {
      Verdict verdict = verdict(topicIndex, event.event());
      if (verdict == Verdict.WRITE) {
        return send(topicIndex, event);
      } else if (verdict == Verdict.GAP) {
        hold(topicIndex, event);
        catchUp(topicIndex);
      } else if (verdict == Verdict.DIVERGED) {
        stream.close(CloseReason.STORE_BEHIND);
      }
    } else {
      hold(topicIndex, event);
    }
    return false;
  }

  /** The stream ended: what it held is dropped. */
  public void stop() {
    held.clear();
  }

  private Verdict verdict(int topicIndex, Event event) {
    return topicIndex < 0 ? Verdict.WRITE : positions.verdict(topicIndex, event);
  }

  private void hold(int topicIndex, SharedEvent event) {
    if (!held.hold(topicIndex, event)) {
      stream.close(CloseReason.SLOW_CONSUMER);
    }
  }

  private void goLive() {
    state = State.LIVE;
    while (state == State.LIVE && !stream.closed() && !held.isEmpty()) {
      HeldEvents.Held next = held.peek();
      Verdict verdict = verdict(next.topicIndex(), next.event().event());
      if (verdict == Verdict.DIVERGED) {
        stream.close(CloseReason.STORE_BEHIND);
        return;
      }
      if (verdict == Verdict.GAP && next.topicIndex() != lastCatchUp) {
        catchUp(next.topicIndex());
        return;
      }
      if (verdict == Verdict.GAP && lastCatchUpGap == Gap.NONE) {
        // The store holds less than this node has seen live: its view of the cluster is stale (a
        // node that was cut off). Skipping would lose events the cluster has: resume elsewhere.
        stream.close(CloseReason.STORE_BEHIND);
        return;
      }
      held.poll();
      if (verdict == Verdict.GAP) {
        // The store could not fill this gap: say so, then go on from here.
        stream.write(writes.unfilled(next.topicIndex(), Gap.EVICTED));
        positions.skipTo(next.topicIndex(), next.event().event());
        verdict = Verdict.WRITE;
      }
      if (verdict == Verdict.WRITE && send(next.topicIndex(), next.event())) {
        metrics.delivered(1);
      }
    }
  }

  private void catchUp(int i) {
    state = State.CATCHING_UP;
    lastCatchUp = i;
    store.readAfter(positions.topic(i), positions.at(i)).onComplete(ar -> {
      if (stream.closed()) {
        return;
      }
      if (ar.failed()) {
        log.warn("gap fill failed {} {}", kv("requestId", stream.info().requestId()), kv("connection", stream.info().id()),
          ar.cause());
        stream.close(CloseReason.ERROR);
        return;
      }
      ReplayStore.Replay replay = ar.result();
      lastCatchUpGap = replay.gap();
      Buffer first = Buffer.buffer();
      if (replay.gap() != Gap.NONE) {
        first.appendBuffer(writes.unfilled(i, replay.gap()));
        positions.startAt(i, replay);
      }
      stream.replay(first, ReplayPieces.ofTopic(writes, i, replay.events()), this::goLive);
    });
  }

  private boolean send(int i, SharedEvent event) {
    if (i >= 0) {
      positions.advance(i, event.event());
    }
    if (!writes.send(i, event)) {
      return false;
    }
    if (i >= 0 && lastCatchUp == i) {
      lastCatchUp = -1;
    }
    return true;
  }
}
