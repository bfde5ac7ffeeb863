package io.pushhub.sse;

import io.pushhub.broadcast.EventRun;
import io.pushhub.broadcast.LocalSubscribers;
import io.pushhub.broadcast.SharedEvent;
import io.pushhub.event.Event;
import io.pushhub.metrics.HubMetrics;
import io.pushhub.replay.ReplayStore;
import io.pushhub.replay.ReplayStore.Gap;
import io.pushhub.sse.StreamPositions.Verdict;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * The events of one SSE stream, in order: its replay, the seam with live events, and its gaps.
 *
 * <p>It keeps, per topic, the position of the last event it sent, and writes an event only if it
 * directly follows that position: an event already covered is a duplicate and dropped; an event
 * further ahead means a gap, filled from the replay store before going on. While it replays
 * (at start, or filling a gap) live events wait in a queue bounded by {@code sse.maxQueuedBytes}.
 * That is the whole seam between replay and live: whatever order things arrive in, each topic's
 * events go out once, in position order, with every gap either filled or reported by a
 * {@code resync} event.
 *
 * <p>A private update (Mercure's) reaches only streams that hold a token: for the others it is
 * passed over, its position covered, as if it were not theirs to see.
 */
final class EventFlow implements StreamFlow {

  private static final Logger log = LoggerFactory.getLogger(EventFlow.class);

  private enum State { STARTING, LIVE, CATCHING_UP }

  private final SseConnection stream;
  private final StreamInfo info;
  private final String[] topics;
  private final StreamPositions positions;
  private final HeldEvents held;
  private final ReplayStore store;
  private final HubMetrics metrics;
  private final LocalSubscribers subscribers;
  private final String cursor;
  private final boolean seesPrivate;
  private State state = State.STARTING;
  /** The topic whose gap was just filled from the store; a gap there again is reported, not refetched. */
  private int lastCatchUp = -1;
  /** What the store said of that gap: NONE means it returned all it holds, so a gap left is one it never saw. */
  private Gap lastCatchUpGap = Gap.NONE;

  /**
   * @param cursor what the stream resumes from, or {@code null}
   * @param seesPrivate whether the stream holds a token, so that private updates reach it
   */
  EventFlow(SseConnection stream, String[] topics, StreamDeps deps, String cursor, boolean seesPrivate) {
    this.stream = stream;
    this.info = stream.info();
    this.topics = topics;
    this.positions = new StreamPositions(topics);
    this.held = new HeldEvents(deps.settings().maxQueuedBytes(), e -> e.encoded(SseEncoder.FRAMES).frame().length());
    this.store = deps.store();
    this.metrics = deps.metrics();
    this.subscribers = deps.subscribers();
    this.cursor = cursor;
    this.seesPrivate = seesPrivate;
  }

  /** Subscribes, reads where each topic resumes from its cursor, replays, then goes live. */
  @Override
  public void start() {
    for (int i = 0; i < topics.length; i++) {
      subscribers.add(topics[i], i, stream);
    }
    long startedNanos = System.nanoTime();
    List<Future<ReplayStore.Replay>> reads = Resume.reads(store, positions, topics, cursor);
    Future.all(reads).onComplete(ar -> {
      if (!stream.closed()) {
        if (ar.failed()) {
          log.warn("replay failed {} {}", kv("requestId", info.requestId()), kv("connection", info.id()), ar.cause());
          stream.close(CloseReason.ERROR);
        } else {
          begin(reads.stream().map(Future::result).toList(), cursor, startedNanos);
        }
      }
    });
  }

  private void begin(List<ReplayStore.Replay> replays, String cursor, long startedNanos) {
    Map<Gap, List<String>> resync = Resume.startAll(positions, topics, replays);
    if (cursor != null) {
      metrics.replayed(resync.isEmpty());
    }
    Buffer first = Buffer.buffer();
    resync.forEach((gap, affected) -> first.appendBuffer(Resume.resyncEvent(gap, affected)));
    ReplayPieces pieces = ReplayPieces.ofAll(this::append, replays.stream().map(ReplayStore.Replay::events).toList());
    replay(first, pieces, () -> {
      String current = positions.cursor();
      if (pieces.appended() == 0 && !current.equals(cursor)) {
        stream.write(SseEncoder.idOnly(current));
      }
      if (cursor != null) {
        metrics.resumedInNanos(System.nanoTime() - startedNanos);
      }
      goLive();
    });
  }

  /** Writes {@code first}, then the replay; live events wait in {@link #held} meanwhile. */
  private void replay(Buffer first, ReplayPieces pieces, Runnable then) {
    stream.replay(first, pieces, then);
  }

  /** A replayed event: written with the stream's cursor when it is new, covered unseen when hidden. */
  private boolean append(Buffer piece, int topicIndex, Event event) {
    if (hidden(event)) {
      positions.coverIfNew(topicIndex, event);
      return false;
    }
    return positions.appendIfNew(piece, topicIndex, event);
  }

  private boolean hidden(Event event) {
    return !seesPrivate && event.isPrivate();
  }

  private boolean hidesAny(EventRun run) {
    for (int i = 0; !seesPrivate && i < run.size(); i++) {
      if (run.get(i).event().isPrivate()) {
        return true;
      }
    }
    return false;
  }

  /** A stream in step with one topic writes a run of several events as one write. */
  @Override
  public int onRun(int topicIndex, EventRun run) {
    if (run.size() > 1 && state == State.LIVE && topics.length == 1 && run.consecutive() && !hidesAny(run)
      && positions.followedBy(topicIndex, run.first().event().position())) {
      positions.advance(topicIndex, run.last().event());
      boolean kept = stream.output().shared(run.joined(SseEncoder.FRAMES));
      info.countEvents(run.size());
      if (lastCatchUp == topicIndex) {
        lastCatchUp = -1;
      }
      stream.closeUnlessKept(kept);
      return run.size();
    }
    int written = 0;
    for (int i = 0; i < run.size() && !stream.closed(); i++) {
      if (onEvent(topicIndex, run.get(i))) {
        written++;
      }
    }
    return written;
  }

  /** Whether {@code event} was written now (not dropped as a duplicate, nor held). */
  private boolean onEvent(int topicIndex, SharedEvent event) {
    if (state == State.LIVE) {
      Verdict verdict = positions.verdict(topicIndex, event.event());
      if (verdict == Verdict.WRITE) {
        return send(topicIndex, event);
      } else if (verdict == Verdict.GAP) {
        enqueue(topicIndex, event);
        catchUp(topicIndex);
      }
    } else {
      enqueue(topicIndex, event);
    }
    return false;
  }

  private void enqueue(int topicIndex, SharedEvent event) {
    if (!held.hold(topicIndex, event)) {
      stream.close(CloseReason.SLOW_CONSUMER);
    }
  }

  private void goLive() {
    state = State.LIVE;
    while (state == State.LIVE && !stream.closed() && !held.isEmpty()) {
      HeldEvents.Held next = held.peek();
      Verdict verdict = positions.verdict(next.topicIndex(), next.event().event());
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
        stream.write(Resume.resyncEvent(Gap.EVICTED, List.of(topics[next.topicIndex()])));
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
    store.readAfter(topics[i], positions.at(i)).onComplete(ar -> {
      if (stream.closed()) {
        return;
      }
      if (ar.failed()) {
        log.warn("gap fill failed {} {}", kv("requestId", info.requestId()), kv("connection", info.id()), ar.cause());
        stream.close(CloseReason.ERROR);
        return;
      }
      ReplayStore.Replay replay = ar.result();
      lastCatchUpGap = replay.gap();
      Buffer first = Buffer.buffer();
      if (replay.gap() != Gap.NONE) {
        first.appendBuffer(Resume.resyncEvent(replay.gap(), List.of(topics[i])));
        positions.startAt(i, replay);
      }
      replay(first, ReplayPieces.ofTopic(this::append, i, replay.events()), this::goLive);
    });
  }

  /** Whether it wrote {@code event}: a hidden one only moves the topic's position. */
  private boolean send(int i, SharedEvent event) {
    positions.advance(i, event.event());
    if (hidden(event.event())) {
      return false;
    }
    SseFrame frame = event.encoded(SseEncoder.FRAMES);
    if (topics.length == 1) {
      stream.closeUnlessKept(stream.output().shared(frame));
    } else {
      byte[] id = SseEncoder.idLine(positions.cursor());
      stream.write(Buffer.buffer(id.length + frame.body().length()).appendBytes(id).appendBuffer(frame.body()));
    }
    info.countEvent();
    if (lastCatchUp == i) {
      lastCatchUp = -1;
    }
    return true;
  }

  /** The stream ended: it leaves its topics, and what it held is dropped. */
  @Override
  public void stop() {
    for (int i = 0; i < topics.length; i++) {
      subscribers.remove(topics[i], i, stream);
    }
    held.clear();
  }
}
