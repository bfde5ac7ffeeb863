package io.pushhub.cluster;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.pushhub.event.EventCodec;
import io.pushhub.replay.ReplayStore.Gap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A read of a topic's log on its partition's owner, answering only what was asked: its head, its
 * stats, the events after a position, or its newest events. Events older than the age are left
 * out. Answers are {@code long[]} or {@code byte[]} (see {@link #encodeEvents}), which any member
 * reads without the hub's serializers; {@code null} when the topic has no log.
 */
final class LogRead implements EntryProcessor<String, TopicLog, Object>, ReadOnly, IdentifiedDataSerializable {

  /** {@code {epoch, lastSeq}}. */
  static final byte HEAD = 0;
  /** {@code {retained, epoch, lastSeq}}. */
  static final byte STATS = 1;
  /** The events after {@code (epoch, seq)}, with the gap before them. */
  static final byte AFTER = 2;
  /** The newest {@code count} events. */
  static final byte LATEST = 3;

  private byte kind;
  private long epoch;
  private long seq;
  private int count;
  private long oldestMicros;

  LogRead() {
  }

  private LogRead(byte kind, long epoch, long seq, int count, long oldestMicros) {
    this.kind = kind;
    this.epoch = epoch;
    this.seq = seq;
    this.count = count;
    this.oldestMicros = oldestMicros;
  }

  static LogRead head() {
    return new LogRead(HEAD, 0, 0, 0, 0);
  }

  static LogRead stats(long oldestMicros) {
    return new LogRead(STATS, 0, 0, 0, oldestMicros);
  }

  static LogRead after(long epoch, long seq, long oldestMicros) {
    return new LogRead(AFTER, epoch, seq, 0, oldestMicros);
  }

  static LogRead latest(int count, long oldestMicros) {
    return new LogRead(LATEST, 0, 0, count, oldestMicros);
  }

  @Override
  public Object process(Map.Entry<String, TopicLog> entry) {
    TopicLog log = entry.getValue();
    if (log == null) {
      return null;
    }
    List<byte[]> retained = new ArrayList<>();
    if (kind != HEAD) {
      for (byte[] event : log.events) {
        if (EventCodec.publishedAtOf(event) >= oldestMicros) {
          retained.add(event);
        }
      }
    }
    return switch (kind) {
      case HEAD -> new long[]{log.epoch, log.lastSeq};
      case STATS -> new long[]{retained.size(), log.epoch, log.lastSeq};
      case LATEST -> encodeEvents(Gap.NONE, log, retained.subList(Math.max(0, retained.size() - count), retained.size()));
      default -> after(log, retained);
    };
  }

  /** What {@code MemoryReplayStore} answers for the same log. */
  private byte[] after(TopicLog log, List<byte[]> retained) {
    boolean sameLog = epoch == log.epoch && seq <= log.lastSeq;
    if (!sameLog && !(epoch == 0 && seq == 0)) {
      return encodeEvents(Gap.UNKNOWN_CURSOR, log, retained);
    }
    long from = sameLog ? seq : 0;
    int first = 0;
    while (first < retained.size() && EventCodec.seqOf(retained.get(first)) <= from) {
      first++;
    }
    List<byte[]> out = retained.subList(first, retained.size());
    long firstAvailable = out.isEmpty() ? log.lastSeq + 1 : EventCodec.seqOf(out.get(0));
    return encodeEvents(firstAvailable == from + 1 ? Gap.NONE : Gap.EVICTED, log, out);
  }

  /** {@code gap ordinal (1 byte), epoch, lastSeq, count, then each event as length and bytes}. */
  private static byte[] encodeEvents(Gap gap, TopicLog log, List<byte[]> events) {
    int size = 1 + 8 + 8 + 4;
    for (byte[] event : events) {
      size += 4 + event.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put((byte) gap.ordinal()).putLong(log.epoch).putLong(log.lastSeq).putInt(events.size());
    for (byte[] event : events) {
      out.putInt(event.length).put(event);
    }
    return out.array();
  }

  @Override
  public EntryProcessor<String, TopicLog, Object> getBackupProcessor() {
    return null;
  }

  @Override
  public int getFactoryId() {
    return LogSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return LogSerialization.READ;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByte(kind);
    out.writeLong(epoch);
    out.writeLong(seq);
    out.writeInt(count);
    out.writeLong(oldestMicros);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    kind = in.readByte();
    epoch = in.readLong();
    seq = in.readLong();
    count = in.readInt();
    oldestMicros = in.readLong();
  }
}
