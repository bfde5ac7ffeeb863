package io.pushhub.cluster;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * Hazelcast's factory for the replay log's value and entry processors (registered by
 * {@link ClusterSetup}): a class id and the fields, no class names or Java serialization on the wire.
 */
final class LogSerialization implements DataSerializableFactory {

  /** "push" in ASCII: any positive id no other factory of the cluster uses. */
  static final int FACTORY_ID = 0x70757368;
  static final int TOPIC_LOG = 1;
  static final int APPEND = 2;
  static final int READ = 3;
  static final int PURGE = 4;
  static final int FOLLOW = 5;
  static final int APPENDED = 6;

  @Override
  public IdentifiedDataSerializable create(int classId) {
    return switch (classId) {
      case TOPIC_LOG -> new TopicLog();
      case APPEND -> new LogAppend();
      case READ -> new LogRead();
      case PURGE -> new LogPurge();
      case FOLLOW -> new LogFollow();
      case APPENDED -> new LogAppend.Result();
      default -> throw new IllegalArgumentException("unknown replay log class id " + classId);
    };
  }
}
