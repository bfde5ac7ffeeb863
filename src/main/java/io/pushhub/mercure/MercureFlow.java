package io.pushhub.mercure;

import io.pushhub.broadcast.EventRun;
import io.pushhub.broadcast.SharedEvent;
import io.pushhub.event.Event;
import io.pushhub.event.Position;
import io.pushhub.replay.ReplayStore;
import io.pushhub.sse.CloseReason;
import io.pushhub.sse.ReplayPieces;
import io.pushhub.sse.SseConnection;
import io.pushhub.sse.StreamFlow;
import io.pushhub.sse.StreamSeam;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The events of one Mercure stream: what it subscribes to, what it replays, which updates it may
 * see, in Mercure's frames (docs/mercure.md).
 *
 * <p>The order of its updates is a {@link StreamSeam}'s, as for pushhub's own streams: it
 * subscribes first, then reads the store, holding live updates meanwhile, then drains them. The
 * topics it names exactly, and the topic of the id it resumes from when a selector matches it,
 * are tracked by position: no gap and no duplicate at the seam, and a gap seen live is filled from
 * the store. Updates reached by a pattern or an alternate topic are written as they come. A
 * private update reaches it only when its token's {@code mercure.subscribe} selectors match one
 * of the update's topics.
 */
final class MercureFlow implements StreamFlow, StreamSeam.Writes {

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
  /** Its pattern selectors: once subscribed, the instance its group shares, whose answers are cached for the group. */
  private Selectors patterns;
  private final Set<String> named;
  private final Selectors all;
  private final MercureResume resume;
  private final StreamSeam seam;
  /** The topics the seam tracks: the exact ones, then the resumed id's when a pattern matches it. */
  private final String[] tracked;
  /** Its subscriptions while it is open ({@code mercure.subscriptions}), {@code null} when they are not listed. */
  private final ActiveSubscriptions.Stream listed;
  /**
   * The topic of the resumed id when no selector matches it: its updates reach the stream only
   * through alternates, so it has gaps by design and is checked for duplicates only, from {@link #namedAt}.
   */
  private String namedByAlternates;
  private Position namedAt;
  /** The run handed over last: a subscriber reached by several routes is handed it in a row. */
  private EventRun lastRun;

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
    this.named = Set.copyOf(exact);
    List<String> raw = new ArrayList<>(exact);
    raw.addAll(patterns.raw());
    this.all = Selectors.of(raw);
    this.resume = resume;
    this.listed = listed;
    List<String> tracking = new ArrayList<>(exact);
    if (resume.kind() == MercureResume.Kind.AFTER && !exact.contains(resume.named().topic())) {
      if (all.matches(resume.named().topic())) {
        tracking.add(resume.named().topic());
      } else {
        // An id's topic that no selector matches may still reach the stream through alternates, as
        // subscription events do (their log's topic is matched by none): replay those of its updates.
        namedByAlternates = resume.named().topic();
        namedAt = resume.named().position();
      }
    }
    this.tracked = tracking.toArray(new String[0]);
    this.seam = new StreamSeam(stream, tracked, store, subscribers.metrics(), maxQueuedBytes, MercureFrames.FRAMES, this);
  }

  @Override
  public void start() {
    patterns = subscribers.add(stream, exact, patterns);
    if (listed != null) {
      listed.open();
    }
    // Read once this node follows the topics: what the reads miss is then on its way here.
    subscribers.index().startPositions(exact.toArray(new String[0])).onComplete(followed -> {
      if (followed.succeeded()) {
        replayAndGoLive();
      } else if (!stream.closed()) {
        stream.close(CloseReason.ERROR);
      }
    });
  }

  private void replayAndGoLive() {
    List<String> topics = new ArrayList<>();
    List<Future<ReplayStore.Replay>> reads = new ArrayList<>();
    if (resume.kind() == MercureResume.Kind.AFTER) {
      topics.add(resume.named().topic());
      reads.add(store.readAfter(resume.named().topic(), resume.named().position()));
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
      int[] indexes = new int[topics.size()];
      for (int i = 0; i < topics.size(); i++) {
        ReplayStore.Replay replay = reads.get(i).result();
        events.add(replay.events());
        indexes[i] = trackedIndex(topics.get(i));
        if (indexes[i] >= 0) {
          seam.startAt(indexes[i], replay);
        }
      }
      seam.replay(Buffer.buffer(), ReplayPieces.ofAll((piece, i, event) -> append(piece, indexes[i], event), events),
        () -> { });
    });
  }

  private static ReplayStore.Replay storedSince(ReplayStore.Replay replay, long sinceMicros) {
    List<Event> kept = replay.events().stream().filter(e -> e.publishedAtMicros() >= sinceMicros).toList();
    return new ReplayStore.Replay(kept, replay.gap(), replay.head());
  }

  private int trackedIndex(String topic) {
    for (int i = 0; i < tracked.length; i++) {
      if (tracked[i].equals(topic)) {
        return i;
      }
    }
    return -1;
  }

  /** A replayed update of a tracked topic (or of the id's topic, reached through alternates). */
  @Override
  public boolean append(Buffer piece, int topicIndex, Event event) {
    boolean fresh = topicIndex >= 0 ? seam.passIfNew(topicIndex, event) : passNamed(event);
    if (!fresh || topicIndex < 0 && !all.matchesAny(event.alternates()) || !mayReceive(event)) {
      return false;
    }
    piece.appendBuffer(MercureFrames.encode(event));
    return true;
  }

  /** Moves the id's topic reached by alternates past {@code event}; false when the stream had it already. */
  private boolean passNamed(Event event) {
    if (namedAt != null && namedAt.covers(event.position())) {
      return false;
    }
    namedAt = event.position();
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

  private boolean hidesAny(EventRun run) {
    for (int i = 0; i < run.size(); i++) {
      if (!mayReceive(run.get(i).event())) {
        return true;
      }
    }
    return false;
  }

  /**
   * A run of one canonical topic, handed over once per route that reaches the stream: it writes
   * on the first what any of its selectors match, and passes over the others. A run that it
   * matches whole, in step, goes out as one write.
   */
  @Override
  public int onRun(int key, EventRun run) {
    if (run == lastRun) {
      return 0;
    }
    lastRun = run;
    String topic = run.topic();
    int t = key >= 0 && key < exact.size() && exact.get(key).equals(topic) ? key : trackedIndex(topic);
    boolean whole = t >= 0 || matches(topic);
    if (whole && run.size() > 1 && seam.inStep(t, run) && !hidesAny(run)) {
      seam.wroteWhole(t, run);
      stream.writeShared(run.joined(MercureFrames.FRAMES));
      return run.size();
    }
    int written = 0;
    for (int i = 0; i < run.size() && !stream.closed(); i++) {
      SharedEvent event = run.get(i);
      if ((whole || matchesAny(event.event().alternates())) && seam.onEvent(t, event)) {
        written++;
      }
    }
    return written;
  }

  /** Whether a selector matches {@code topic}; as {@code all} does, from the group's cached answers. */
  private boolean matches(String topic) {
    return named.contains(topic) || patterns.matches(topic);
  }

  private boolean matchesAny(List<String> topics) {
    for (int i = 0; i < topics.size(); i++) {
      if (matches(topics.get(i))) {
        return true;
      }
    }
    return false;
  }

  /** A live update in its turn; whether it wrote it. */
  @Override
  public boolean send(int topicIndex, SharedEvent shared) {
    Event event = shared.event();
    if (topicIndex < 0 && event.topic().equals(namedByAlternates) && !passNamed(event) || !mayReceive(event)) {
      return false;
    }
    stream.writeShared(shared.encoded(MercureFrames.FRAMES));
    return true;
  }

  /** Mercure has no way to say that updates are missing: the stream goes on. */
  @Override
  public Buffer unfilled(int topicIndex, ReplayStore.Gap gap) {
    return Buffer.buffer();
  }

  @Override
  public void stop() {
    subscribers.remove(stream, exact, patterns);
    seam.stop();
    if (listed != null) {
      listed.close();
    }
  }
}
