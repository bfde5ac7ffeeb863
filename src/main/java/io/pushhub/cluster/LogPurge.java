package io.pushhub.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.util.Map;

/**
 * Purges a topic's log, on its owner and its backup: drops its retained events and keeps its
 * epoch, last sequence number, idempotency keys and followers, so the next event follows on, and
 * a cursor from before the purge is told its events are gone. A log that is absent stays absent.
 */
final class LogPurge implements EntryProcessor<String, TopicLog, Boolean>, IdentifiedDataSerializable {

  /** For Hazelcast's factory. */
  LogPurge() {
  }

  @Override
  public Boolean process(Map.Entry<String, TopicLog> entry) {
    TopicLog log = entry.getValue();
    if (log == null) {
      return false;
    }
    log.events.clear();
    entry.setValue(log);
    return true;
  }

  @Override
  public int getFactoryId() {
    return LogSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return LogSerialization.PURGE;
  }

  @Override
  public void writeData(ObjectDataOutput out) {
  }

  @Override
  public void readData(ObjectDataInput in) {
  }
}
