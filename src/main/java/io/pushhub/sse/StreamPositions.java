package io.pushhub.sse;

import io.pushhub.event.Cursor;
import io.pushhub.event.Event;
import io.pushhub.event.Position;
import io.pushhub.replay.ReplayStore;
import io.vertx.core.buffer.Buffer;

/**
 * Per topic of one stream, the position of the last event it sent, and the cursor they make
 * together. An event is written only if it directly follows its topic's position: one already
 * covered is a duplicate, one further ahead is a gap. A topic not positioned yet takes its first
 * event as it comes.
 */
final class StreamPositions {

  /**
   * What to do with an event: write it, drop it as one already sent, fill the gap before it; or,
   * when it sits at the position of the event this stream sent last but says something else, end
   * the stream: the log there is not the one the client saw (a node that was cut off showed it
   * an event the cluster did not keep), and its cursor's check gets it a resync wherever it resumes.
   */
  enum Verdict { WRITE, DUPLICATE, GAP, DIVERGED }

  private final String[] topics;
  private final int[] tags;
  private final Position[] positions;
  /** Per topic, the {@link Event#check()} of the event at its position, {@link Cursor#NO_CHECK} when none was sent. */
  private final int[] checks;

  StreamPositions(String[] topics) {
    this.topics = topics;
    this.tags = new int[topics.length];
    this.positions = new Position[topics.length];
    this.checks = new int[topics.length];
    for (int i = 0; i < topics.length; i++) {
      tags[i] = Cursor.tag(topics[i]);
    }
  }

  int[] tags() {
    return tags;
  }

  String topic(int i) {
    return topics[i];
  }

  Position at(int i) {
    return positions[i];
  }

  void advance(int i, Event sent) {
    positions[i] = sent.position();
    checks[i] = sent.check();
  }

  /** The cursor's entry for the topic, before its replay is read. */
  void resumeFrom(int i, Cursor.Entry entry) {
    positions[i] = entry.position();
    checks[i] = entry.check();
  }

  /**
   * Positions the topic just before what a replay returned (its head when it returned nothing);
   * a resume that found nothing new keeps its cursor's check.
   */
  void startAt(int i, ReplayStore.Replay replay) {
    Position start = replay.events().isEmpty() ? replay.head() : before(replay.events().get(0).position());
    if (!start.equals(positions[i])) {
      checks[i] = Cursor.NO_CHECK;
    }
    positions[i] = start;
  }

  /** Goes on from {@code event} after a gap that could not be filled. */
  void skipTo(int i, Event event) {
    positions[i] = before(event.position());
    checks[i] = Cursor.NO_CHECK;
  }

  Verdict verdict(int i, Event event) {
    Position at = positions[i];
    if (at == null) {
      return Verdict.WRITE;
    }
    if (at.covers(event.position())) {
      return at.equals(event.position()) && checks[i] != Cursor.NO_CHECK && checks[i] != event.check()
        ? Verdict.DIVERGED : Verdict.DUPLICATE;
    }
    return at.isFollowedBy(event.position()) ? Verdict.WRITE : Verdict.GAP;
  }

  boolean followedBy(int i, Position next) {
    return positions[i] == null || positions[i].isFollowedBy(next);
  }

  /** Appends {@code event}, as a frame with this stream's cursor, if it is past its topic's position. */
  boolean appendIfNew(Buffer out, int i, Event event) {
    if (!coverIfNew(i, event)) {
      return false;
    }
    out.appendBytes(SseEncoder.idLine(cursor())).appendBytes(SseEncoder.body(event));
    return true;
  }

  /** Moves past {@code event} without writing it, if it is past its topic's position; whether it was. */
  boolean coverIfNew(int i, Event event) {
    if (positions[i] != null && positions[i].covers(event.position())) {
      return false;
    }
    advance(i, event);
    return true;
  }

  String cursor() {
    return topics.length == 1 ? Cursor.of(topics[0], positions[0], checks[0]) : Cursor.of(tags, positions, checks);
  }

  private static Position before(Position position) {
    return new Position(position.epoch(), position.seq() - 1);
  }
}
