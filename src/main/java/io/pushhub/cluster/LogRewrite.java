package io.pushhub.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.Map;

/**
 * Writes a topic's log back, on its owner and its backup, so that the map's time-to-live counts
 * again from now; a log that is absent stays absent. A purge also drops its retained events and
 * keeps its epoch, last sequence number and idempotency keys: the next event follows on, and a
 * cursor from before the purge is told its events are gone. A touch changes nothing else: a log
 * that streams follow does not expire while its topic is quiet.
 */
final class LogRewrite implements EntryProcessor<String, TopicLog, Boolean>, IdentifiedDataSerializable {

  private boolean purge;

  /** For Hazelcast's factory. */
  LogRewrite() {
  }

  private LogRewrite(boolean purge) {
    this.purge = purge;
  }

  static LogRewrite purge() {
    return new LogRewrite(true);
  }

  static LogRewrite touch() {
    return new LogRewrite(false);
  }

  @Override
  public Boolean process(Map.Entry<String, TopicLog> entry) {
    TopicLog log = entry.getValue();
    if (log == null) {
      return false;
    }
    if (purge) {
      log.events.clear();
    }
    entry.setValue(log);
    return true;
  }

  @Override
  public int getFactoryId() {
    return LogSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return LogSerialization.REWRITE;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeBoolean(purge);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    purge = in.readBoolean();
  }
}
