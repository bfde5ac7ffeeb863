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
 * for an idempotency key seen within the age, else gives the event the next position. Answers
 * {@code {epoch, seq, 1 if duplicate else 0}}: a {@code long[]}, which any member reads without
 * the hub's serializers (publishers join as plain lite members).
 *
 * <p>The backup replays the append as decided (the event with its position), so a backup costs
 * one event, never a copy of the log; a duplicate changes nothing and has no backup.
 */
final class LogAppend implements EntryProcessor<String, TopicLog, long[]>, IdentifiedDataSerializable {

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
  public long[] process(Map.Entry<String, TopicLog> entry) {
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
          return new long[]{log.epoch, seen, 1};
        }
      }
      EventCodec.setPosition(encoded, new Position(log.epoch, log.lastSeq + 1));
      backup = new LogAppend(encoded, key, log.epoch, nowMicros, maxAgeMicros, maxEvents);
      backup.replay = true;
    }
    log.add(encoded, key, maxEvents, oldest);
    entry.setValue(log);
    return new long[]{log.epoch, log.lastSeq, 0};
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
}
