package io.pushhub.support;

import io.pushhub.broadcast.EventRun;
import io.pushhub.broadcast.Subscriber;

import java.util.ArrayList;
import java.util.List;

/** A subscriber that keeps the runs it is handed, readable from the test's thread. */
public final class RunRecorder implements Subscriber {

  private final int[] slots;
  private final List<EventRun> runs = new ArrayList<>();

  /** @param keys how many keys (topics) it subscribes with */
  public RunRecorder(int keys) {
    this.slots = new int[keys];
  }

  @Override
  public int onRun(int key, EventRun run) {
    synchronized (runs) {
      runs.add(run);
    }
    return run.size();
  }

  @Override
  public int[] slots() {
    return slots;
  }

  public List<EventRun> runs() {
    synchronized (runs) {
      return List.copyOf(runs);
    }
  }

  /** The sequence numbers of every event received, in order. */
  public List<Long> positions() {
    List<Long> positions = new ArrayList<>();
    for (EventRun run : runs()) {
      for (int i = 0; i < run.size(); i++) {
        positions.add(run.get(i).event().position().seq());
      }
    }
    return positions;
  }
}
