package io.pushhub.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.pushhub.event.EventCodec;
import io.pushhub.event.Position;

import java.io.IOException;
import java.util.Map;

/**
 * Appends one event to its topic's log, in one operation on the partition's owner: creates the
 * log if it has none (with the epoch drawn by the caller), answers the earlier event's position
 * for an idempotency key seen within the age, else gives the event the next position. Answers a
 * {@link Result}: the position, and the nodes that follow the topic, to send the event to.
 *
 * <p>The backup replays the append as decided (the event with its position), so a backup costs
 * one event, never a copy of the log; a duplicate changes nothing and has no backup.
 */
final class LogAppend implements EntryProcessor<String, TopicLog, LogAppend.Result>, IdentifiedDataSerializable {

  private static final String[] NO_FOLLOWERS = new String[0];

  private byte[] encoded;
  private String key;
  private long freshEpoch;
  private long nowMicros;
  private long maxAgeMicros;
  private int maxEvents;
  /** Whether this is the backup of an append the owner made: it replays it as it was decided. */
  private boolean replay;
  /** After the owner's append: the backup's processor, none for a duplicate. */
  private transient LogAppend backup;

  LogAppend() {
  }

  /** @param encoded the event, its position unset and its publish time set to {@code nowMicros} */
  LogAppend(byte[] encoded, String key, long freshEpoch, long nowMicros, long maxAgeMicros, int maxEvents) {
    this.encoded = encoded;
    this.key = key;
    this.freshEpoch = freshEpoch;
    this.nowMicros = nowMicros;
    this.maxAgeMicros = maxAgeMicros;
    this.maxEvents = maxEvents;
  }

  @Override
  public Result process(Map.Entry<String, TopicLog> entry) {
    TopicLog log = entry.getValue();
    long oldest = nowMicros - maxAgeMicros;
    if (replay) {
      // The backup: the owner's log has this epoch; a backup copy that has another is replaced.
      if (log == null || log.epoch != freshEpoch) {
        log = new TopicLog(freshEpoch);
      }
    } else {
      backup = null;
      if (log == null) {
        log = new TopicLog(freshEpoch);
      } else {
        log.expire(oldest);
        long seen = key == null ? 0 : log.seqOfKey(key);
        if (seen > 0) {
          return new Result(log.epoch, seen, true, NO_FOLLOWERS);
        }
      }
      EventCodec.setPosition(encoded, new Position(log.epoch, log.lastSeq + 1));
      backup = new LogAppend(encoded, key, log.epoch, nowMicros, maxAgeMicros, maxEvents);
      backup.replay = true;
    }
    log.add(encoded, key, maxEvents, oldest);
    entry.setValue(log);
    return replay ? null : new Result(log.epoch, log.lastSeq, false, log.liveFollowers(nowMicros));
  }

  @Override
  public EntryProcessor<String, TopicLog, Result> getBackupProcessor() {
    return backup;
  }

  @Override
  public int getFactoryId() {
    return LogSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return LogSerialization.APPEND;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByteArray(encoded);
    out.writeString(key);
    out.writeLong(freshEpoch);
    out.writeLong(nowMicros);
    out.writeLong(maxAgeMicros);
    out.writeInt(maxEvents);
    out.writeBoolean(replay);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    encoded = in.readByteArray();
    key = in.readString();
    freshEpoch = in.readLong();
    nowMicros = in.readLong();
    maxAgeMicros = in.readLong();
    maxEvents = in.readInt();
    replay = in.readBoolean();
  }

  /** Where the event was stored, whether it was already there, and which nodes follow its topic. */
  static final class Result implements IdentifiedDataSerializable {
    long epoch;
    long seq;
    boolean duplicate;
    String[] followers;

    /** For Hazelcast's factory. */
    Result() {
    }

    Result(long epoch, long seq, boolean duplicate, String[] followers) {
      this.epoch = epoch;
      this.seq = seq;
      this.duplicate = duplicate;
      this.followers = followers;
    }

    @Override
    public int getFactoryId() {
      return LogSerialization.FACTORY_ID;
    }

    @Override
    public int getClassId() {
      return LogSerialization.APPENDED;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeLong(epoch);
      out.writeLong(seq);
      out.writeBoolean(duplicate);
      out.writeStringArray(followers);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      epoch = in.readLong();
      seq = in.readLong();
      duplicate = in.readBoolean();
      followers = in.readStringArray();
    }
  }
}
