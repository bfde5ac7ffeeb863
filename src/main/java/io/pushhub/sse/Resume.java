package io.pushhub.sse;

import io.pushhub.event.Cursor;
import io.pushhub.event.Event;
import io.pushhub.event.Position;
import io.pushhub.replay.ReplayStore;
import io.pushhub.replay.ReplayStore.Gap;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Where each topic of a new stream starts, from its cursor, and how a gap is reported. */
final class Resume {

  private Resume() {
  }

  /**
   * One store read per topic: the events after the cursor's position for a topic it covers;
   * everything retained, flagged unknown-cursor, for every topic when the cursor cannot be parsed,
   * and for a topic whose log holds another event at the cursor's position than the one its check
   * names. A topic the cursor does not cover starts live, at {@code starts}' position, read from
   * nothing.
   *
   * @param starts for each topic, where the node hands the stream every event after
   */
  static List<Future<ReplayStore.Replay>> reads(ReplayStore store, StreamPositions positions, String[] topics,
                                                String cursor, List<Position> starts) {
    Map<Integer, Cursor.Entry> resumeFrom = cursor == null ? null : Cursor.parse(cursor);
    boolean unparseable = cursor != null && resumeFrom == null;
    int[] tags = positions.tags();
    List<Future<ReplayStore.Replay>> reads = new ArrayList<>(topics.length);
    for (int i = 0; i < topics.length; i++) {
      String topic = topics[i];
      Cursor.Entry from = resumeFrom == null || sharesTag(tags, i) ? null : resumeFrom.get(tags[i]);
      if (unparseable) {
        reads.add(everything(store, topic));
      } else if (from == null) {
        reads.add(Future.succeededFuture(new ReplayStore.Replay(List.of(), Gap.NONE, starts.get(i))));
      } else {
        positions.resumeFrom(i, from);
        reads.add(from.check() == Cursor.NO_CHECK || from.position().seq() == 0
          ? store.readAfter(topic, from.position()) : readAfterChecked(store, topic, from));
      }
    }
    return reads;
  }

  /**
   * Reads from the event at the cursor's position, to compare it with the check: the same event,
   * and the replay goes on after it; another one, and the client saw an event the log does not
   * have (shown by a node cut off from the cluster), so it gets a resync and all that is retained.
   */
  private static Future<ReplayStore.Replay> readAfterChecked(ReplayStore store, String topic, Cursor.Entry from) {
    Position at = from.position();
    return store.readAfter(topic, new Position(at.epoch(), at.seq() - 1)).compose(replay -> {
      if (replay.gap() == Gap.UNKNOWN_CURSOR) {
        return Future.succeededFuture(replay);
      }
      List<Event> events = replay.events();
      Event first = events.isEmpty() ? null : events.get(0);
      if (first != null && first.position().equals(at)) {
        return first.check() == from.check()
          ? Future.succeededFuture(new ReplayStore.Replay(events.subList(1, events.size()), replay.gap(), replay.head()))
          : everything(store, topic);
      }
      if (replay.head().seq() < at.seq()) {
        // The log never reached the position the client saw.
        return everything(store, topic);
      }
      // The event at the position is gone by age or size: nothing to compare; a gap is after it.
      long firstAfter = first == null ? replay.head().seq() + 1 : first.position().seq();
      return Future.succeededFuture(
        new ReplayStore.Replay(events, firstAfter == at.seq() + 1 ? Gap.NONE : Gap.EVICTED, replay.head()));
    });
  }

  private static Future<ReplayStore.Replay> everything(ReplayStore store, String topic) {
    return store.readAfter(topic, Position.START).map(r -> new ReplayStore.Replay(r.events(), Gap.UNKNOWN_CURSOR, r.head()));
  }

  /** Positions each topic where its replay begins; the topics whose replay has a gap, by reason. */
  static Map<Gap, List<String>> startAll(StreamPositions positions, String[] topics, List<ReplayStore.Replay> replays) {
    Map<Gap, List<String>> resync = new EnumMap<>(Gap.class);
    for (int i = 0; i < topics.length; i++) {
      ReplayStore.Replay replay = replays.get(i);
      positions.startAt(i, replay);
      if (replay.gap() != Gap.NONE) {
        resync.computeIfAbsent(replay.gap(), g -> new ArrayList<>()).add(topics[i]);
      }
    }
    return resync;
  }

  /** Two topics of one stream with one tag: a cursor cannot tell them apart, so both start live. */
  private static boolean sharesTag(int[] tags, int i) {
    for (int j = 0; j < tags.length; j++) {
      if (j != i && tags[j] == tags[i]) {
        return true;
      }
    }
    return false;
  }

  /** {@code event: resync}, no {@code id:}, data {@code {"topics": [...], "reason": ...}}. */
  static Buffer resyncEvent(Gap gap, List<String> affected) {
    String reason = gap == Gap.EVICTED ? "evicted" : "unknown-cursor";
    JsonObject data = new JsonObject().put("topics", new JsonArray(List.copyOf(affected))).put("reason", reason);
    return SseEncoder.control("resync", data.encode());
  }
}
