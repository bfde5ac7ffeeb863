package io.pushhub.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.util.Map;

/**
 * Rewrites a topic's log unchanged, on its owner and its backup, so that the map's time-to-live
 * counts again from now: a log that streams follow does not expire while its topic is quiet. A
 * log that is absent stays absent.
 */
final class LogTouch implements EntryProcessor<String, TopicLog, Boolean>, IdentifiedDataSerializable {

  @Override
  public Boolean process(Map.Entry<String, TopicLog> entry) {
    TopicLog log = entry.getValue();
    if (log == null) {
      return false;
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
    return LogSerialization.TOUCH;
  }

  @Override
  public void writeData(ObjectDataOutput out) {
  }

  @Override
  public void readData(ObjectDataInput in) {
  }
}
