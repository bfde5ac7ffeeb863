package io.pushhub.mercure;

import io.pushhub.broadcast.EventRun;
import io.pushhub.broadcast.SharedEvent;
import io.pushhub.event.Event;
import io.pushhub.event.Position;
import io.pushhub.replay.ReplayStore;
import io.pushhub.sse.CloseReason;
import io.pushhub.sse.HeldEvents;
import io.pushhub.sse.ReplayPieces;
import io.pushhub.sse.SseConnection;
import io.pushhub.sse.StreamFlow;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The events of one Mercure stream: what it subscribes to, what it replays, which updates it may
 * see, in Mercure's frames (docs/mercure.md).
 *
 * <p>The stream subscribes first, then reads the store, holding live updates meanwhile, then
 * drains them: an update of a topic it replayed is written only if it lies past what the replay
 * wrote, so the seam has no gap and no duplicate. The topics it names exactly and the topic of
 * the id it resumes from are tracked by position; updates reached by a pattern or an alternate
 * topic are written as they come. A private update reaches it only when its token's
 * {@code mercure.subscribe} selectors match one of the update's topics.
 */
final class MercureFlow implements StreamFlow {

  /**
   * How far before the named update the other topics of a resumed stream replay from: nodes stamp
   * the time of an append with their own clocks, which may disagree by this much.
   */
  static final long CLOCK_SKEW_MICROS = 2_000_000;

  private final SseConnection stream;
  private final MercureSubscribers subscribers;
  private final ReplayStore store;
  private final MercureClaims claims;
  private final List<String> exact;
  private final Selectors patterns;
  private final Selectors all;
  private final MercureResume resume;
  private final HeldEvents held;
  /** Its subscriptions while it is open ({@code mercure.subscriptions}), {@code null} when they are not listed. */
  private final ActiveSubscriptions.Stream listed;
  /** The topic of the resumed id when no selector matches it: its updates are replayed only when an alternate matches. */
  private String namedByAlternates;
  /** Canonical topic → the position of its last update this stream wrote or passed over; null before any. */
  private final Map<String, Position> tracked = new HashMap<>();
  private boolean live;
  /** The update handed over last: a subscriber reached by several routes is handed it in a row. */
  private SharedEvent lastSeen;

  /**
   * @param claims the subscriber's rights, {@code null} without a token (or in development mode)
   * @param exact the selectors that name one topic; {@code patterns} the others
   */
  MercureFlow(SseConnection stream, MercureSubscribers subscribers, ReplayStore store, MercureClaims claims,
              List<String> exact, Selectors patterns, MercureResume resume, int maxQueuedBytes,
              ActiveSubscriptions.Stream listed) {
    this.stream = stream;
    this.subscribers = subscribers;
    this.store = store;
    this.claims = claims;
    this.exact = exact;
    this.patterns = patterns;
    List<String> raw = new ArrayList<>(exact);
    raw.addAll(patterns.raw());
    this.all = Selectors.of(raw);
    this.resume = resume;
    this.listed = listed;
    this.held = new HeldEvents(maxQueuedBytes, e -> e.encoded(MercureFrames.FRAMES).frame().length());
    exact.forEach(topic -> tracked.put(topic, null));
  }

  @Override
  public void start() {
    subscribers.add(stream, exact, patterns);
    if (listed != null) {
      listed.open();
    }
    List<String> topics = new ArrayList<>();
    List<Future<ReplayStore.Replay>> reads = new ArrayList<>();
    if (resume.kind() == MercureResume.Kind.AFTER) {
      // An id's topic that no selector matches may still reach the stream through alternates, as
      // subscription events do (their log's topic is matched by none): replay those of its updates.
      namedByAlternates = all.matches(resume.named().topic()) ? null : resume.named().topic();
      topics.add(resume.named().topic());
      reads.add(store.readAfter(resume.named().topic(), resume.named().position()));
      tracked.put(resume.named().topic(), resume.named().position());
    }
    if (resume.kind() != MercureResume.Kind.LIVE) {
      long since = resume.kind() == MercureResume.Kind.AFTER ? resume.namedAtMicros() - CLOCK_SKEW_MICROS : Long.MIN_VALUE;
      for (String topic : exact) {
        if (!topics.contains(topic)) {
          topics.add(topic);
          reads.add(store.readAfter(topic, Position.START).map(r -> storedSince(r, since)));
        }
      }
    }
    Future.all(reads).onComplete(ar -> {
      if (stream.closed()) {
        return;
      }
      if (ar.failed()) {
        stream.close(CloseReason.ERROR);
        return;
      }
      List<List<Event>> events = new ArrayList<>();
      for (int i = 0; i < topics.size(); i++) {
        ReplayStore.Replay replay = reads.get(i).result();
        events.add(replay.events());
        tracked.put(topics.get(i), replay.events().isEmpty() ? replay.head() : before(replay.events().get(0)));
      }
      stream.replay(Buffer.buffer(), ReplayPieces.ofAll(this::append, events), this::goLive);
    });
  }

  private static ReplayStore.Replay storedSince(ReplayStore.Replay replay, long sinceMicros) {
    List<Event> kept = replay.events().stream().filter(e -> e.publishedAtMicros() >= sinceMicros).toList();
    return new ReplayStore.Replay(kept, replay.gap(), replay.head());
  }

  private static Position before(Event event) {
    return new Position(event.position().epoch(), event.position().seq() - 1);
  }

  private boolean append(Buffer piece, int topicIndex, Event event) {
    if (event.topic().equals(namedByAlternates) && !all.matchesAny(event.alternates()) || !advance(event)
      || !mayReceive(event)) {
      return false;
    }
    piece.appendBuffer(MercureFrames.encode(event));
    return true;
  }

  /** Moves a tracked topic past {@code event}; false when the stream had it already. */
  private boolean advance(Event event) {
    if (!tracked.containsKey(event.topic())) {
      return true;
    }
    Position at = tracked.get(event.topic());
    if (at != null && at.covers(event.position())) {
      return false;
    }
    tracked.put(event.topic(), event.position());
    return true;
  }

  private boolean mayReceive(Event event) {
    if (!event.isPrivate()) {
      return true;
    }
    List<String> topics = new ArrayList<>(1 + event.alternates().size());
    topics.add(event.topic());
    topics.addAll(event.alternates());
    return MercureAccess.mayReceive(claims, topics, true);
  }

  private void goLive() {
    while (!stream.closed() && !held.isEmpty()) {
      send(held.poll().event());
    }
    live = true;
  }

  @Override
  public int onRun(int key, EventRun run) {
    int written = 0;
    for (int i = 0; i < run.size() && !stream.closed(); i++) {
      SharedEvent event = run.get(i);
      if (event == lastSeen) {
        continue;
      }
      lastSeen = event;
      if (!live) {
        if (!held.hold(-1, event)) {
          stream.close(CloseReason.SLOW_CONSUMER);
        }
      } else if (send(event)) {
        written++;
      }
    }
    return written;
  }

  private boolean send(SharedEvent shared) {
    Event event = shared.event();
    if (!advance(event) || !mayReceive(event)) {
      return false;
    }
    stream.writeShared(shared.encoded(MercureFrames.FRAMES));
    return true;
  }

  @Override
  public void stop() {
    subscribers.remove(stream, exact, patterns);
    held.clear();
    if (listed != null) {
      listed.close();
    }
  }
}
