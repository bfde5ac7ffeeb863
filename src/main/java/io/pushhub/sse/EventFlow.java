package io.pushhub.sse;

import io.pushhub.broadcast.EventRun;
import io.pushhub.broadcast.LocalSubscribers;
import io.pushhub.broadcast.SharedEvent;
import io.pushhub.event.Event;
import io.pushhub.metrics.HubMetrics;
import io.pushhub.replay.ReplayStore;
import io.pushhub.replay.ReplayStore.Gap;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * The events of one stream of pushhub's own protocol: what it subscribes to, where each topic
 * resumes from its cursor, and its frames, each with the stream's cursor. The order of its events
 * (replay, the seam with live events, gaps filled or reported by a {@code resync} event) is its
 * {@link StreamSeam}'s, every topic tracked by position.
 *
 * <p>A private update (Mercure's) reaches only streams that hold a token: for the others it is
 * passed over, its position covered, as if it were not theirs to see.
 */
final class EventFlow implements StreamFlow, StreamSeam.Writes {

  private static final Logger log = LoggerFactory.getLogger(EventFlow.class);

  private final SseConnection stream;
  private final StreamInfo info;
  private final String[] topics;
  private final StreamSeam seam;
  private final StreamPositions positions;
  private final ReplayStore store;
  private final HubMetrics metrics;
  private final LocalSubscribers subscribers;
  private final String cursor;
  private final boolean seesPrivate;

  /**
   * @param cursor what the stream resumes from, or {@code null}
   * @param seesPrivate whether the stream holds a token, so that private updates reach it
   */
  EventFlow(SseConnection stream, String[] topics, StreamDeps deps, String cursor, boolean seesPrivate) {
    this.stream = stream;
    this.info = stream.info();
    this.topics = topics;
    this.seam = new StreamSeam(stream, topics, deps.store(), deps.metrics(), deps.settings().maxQueuedBytes(),
      SseEncoder.FRAMES, this);
    this.positions = seam.positions();
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
    subscribers.startPositions(topics)
      .compose(starts -> Future.all(Resume.reads(store, positions, topics, cursor, starts)))
      .onComplete(ar -> {
        if (!stream.closed()) {
          if (ar.failed()) {
            log.warn("replay failed {} {}", kv("requestId", info.requestId()), kv("connection", info.id()), ar.cause());
            stream.close(CloseReason.ERROR);
          } else {
            begin(ar.result().<ReplayStore.Replay>list(), cursor, startedNanos);
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
    ReplayPieces pieces = ReplayPieces.ofAll(this, replays.stream().map(ReplayStore.Replay::events).toList());
    seam.replay(first, pieces, () -> {
      String current = positions.cursor();
      if (pieces.appended() == 0 && !current.equals(cursor)) {
        stream.write(SseEncoder.idOnly(current));
      }
      if (cursor != null) {
        metrics.resumedInNanos(System.nanoTime() - startedNanos);
      }
    });
  }

  /** A replayed event: written with the stream's cursor when it is new, covered unseen when hidden. */
  @Override
  public boolean append(Buffer piece, int topicIndex, Event event) {
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
    if (run.size() > 1 && topics.length == 1 && seam.inStep(topicIndex, run) && !hidesAny(run)) {
      seam.wroteWhole(topicIndex, run);
      stream.writeShared(run.joined(SseEncoder.FRAMES));
      return run.size();
    }
    int written = 0;
    for (int i = 0; i < run.size() && !stream.closed(); i++) {
      if (seam.onEvent(topicIndex, run.get(i))) {
        written++;
      }
    }
    return written;
  }

  /** Whether it wrote {@code event}: a hidden one only moves the topic's position. */
  @Override
  public boolean send(int i, SharedEvent event) {
    if (hidden(event.event())) {
      return false;
    }
    SseFrame frame = event.encoded(SseEncoder.FRAMES);
    if (topics.length == 1) {
      stream.writeShared(frame);
    } else {
      byte[] id = SseEncoder.idLine(positions.cursor());
      stream.write(Buffer.buffer(id.length + frame.body().length()).appendBytes(id).appendBuffer(frame.body()));
      info.countEvent();
    }
    return true;
  }

  @Override
  public Buffer unfilled(int topicIndex, Gap gap) {
    return Resume.resyncEvent(gap, List.of(topics[topicIndex]));
  }

  /** The stream ended: it leaves its topics, and what it held is dropped. */
  @Override
  public void stop() {
    for (int i = 0; i < topics.length; i++) {
      subscribers.remove(topics[i], i, stream);
    }
    seam.stop();
  }
}
