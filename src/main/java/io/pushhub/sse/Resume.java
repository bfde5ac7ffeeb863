package io.pushhub.sse;

import io.pushhub.event.Cursor;
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
   * One store read per topic: the events after the cursor's position for a topic it covers; the
   * head (start live) for a topic it does not; everything retained, flagged unknown-cursor, for
   * every topic when the cursor cannot be parsed.
   */
  static List<Future<ReplayStore.Replay>> reads(ReplayStore store, String[] topics, int[] tags, String cursor) {
    Map<Integer, Position> resumeFrom = cursor == null ? null : Cursor.parse(cursor);
    boolean unparseable = cursor != null && resumeFrom == null;
    List<Future<ReplayStore.Replay>> reads = new ArrayList<>(topics.length);
    for (int i = 0; i < topics.length; i++) {
      String topic = topics[i];
      Position from = resumeFrom == null || sharesTag(tags, i) ? null : resumeFrom.get(tags[i]);
      if (unparseable) {
        reads.add(store.readAfter(topic, Position.START)
          .map(r -> new ReplayStore.Replay(r.events(), Gap.UNKNOWN_CURSOR, r.head())));
      } else if (from == null) {
        reads.add(store.head(topic).map(head -> new ReplayStore.Replay(List.of(), Gap.NONE, head)));
      } else {
        reads.add(store.readAfter(topic, from));
      }
    }
    return reads;
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
