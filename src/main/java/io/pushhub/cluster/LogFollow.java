package io.pushhub.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.Map;

/**
 * Starts, renews or ends a hub node's interest in a topic, on the partition's owner. Following
 * answers the log's head, {@code {epoch, lastSeq}}, and creates the log (with the epoch drawn by
 * the caller) when the topic has none: every append ordered after it sends its event to the node,
 * and every append before it is at or behind that head, where the node starts. A follow also
 * rewrites the entry, so a followed log's time-to-live counts again from now.
 *
 * <p>The backup replays the change with the owner's epoch.
 */
final class LogFollow implements EntryProcessor<String, TopicLog, long[]>, IdentifiedDataSerializable {

  private String node;
  private boolean follow;
  private long leaseEndMicros;
  private long epoch;
  /** Whether this is the backup of a change the owner made. */
  private boolean replay;
  private transient LogFollow backup;

  /** For Hazelcast's factory. */
  LogFollow() {
  }

  private LogFollow(String node, boolean follow, long leaseEndMicros, long epoch, boolean replay) {
    this.node = node;
    this.follow = follow;
    this.leaseEndMicros = leaseEndMicros;
    this.epoch = epoch;
    this.replay = replay;
  }

  /** @param freshEpoch the epoch of the log if this creates it */
  static LogFollow follow(String node, long leaseEndMicros, long freshEpoch) {
    return new LogFollow(node, true, leaseEndMicros, freshEpoch, false);
  }

  static LogFollow unfollow(String node) {
    return new LogFollow(node, false, 0, 0, false);
  }

  @Override
  public long[] process(Map.Entry<String, TopicLog> entry) {
    TopicLog log = entry.getValue();
    backup = null;
    if (log == null || replay && log.epoch != epoch) {
      if (!follow) {
        return null;
      }
      log = new TopicLog(epoch);
    }
    if (follow) {
      log.followers.put(node, leaseEndMicros);
    } else if (log.followers.remove(node) == null) {
      return new long[]{log.epoch, log.lastSeq};
    }
    entry.setValue(log);
    if (!replay) {
      backup = new LogFollow(node, follow, leaseEndMicros, log.epoch, true);
    }
    return new long[]{log.epoch, log.lastSeq};
  }

  @Override
  public EntryProcessor<String, TopicLog, long[]> getBackupProcessor() {
    return backup;
  }

  @Override
  public int getFactoryId() {
    return LogSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return LogSerialization.FOLLOW;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(node);
    out.writeBoolean(follow);
    out.writeLong(leaseEndMicros);
    out.writeLong(epoch);
    out.writeBoolean(replay);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    node = in.readString();
    follow = in.readBoolean();
    leaseEndMicros = in.readLong();
    epoch = in.readLong();
    replay = in.readBoolean();
  }
}
