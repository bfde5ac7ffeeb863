package io.pushhub.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.pushhub.event.EventCodec;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One topic's replay log, the value of {@link ClusterSetup#LOGS}: its epoch, its last sequence
 * number, its newest events (encoded, positions set, oldest first), the idempotency keys
 * published within the retention age, and the hub nodes that follow the topic (each with the
 * time its lease ends), to which an append's event is sent. Only entry processors touch it, on
 * the partition's thread: a node that starts following and the appends around it are in one order.
 *
 * <p>The epoch is drawn when the entry is created, and the entry is all there is of the topic: a
 * log that expired or was lost always comes back with a new epoch. A purge drops the events and
 * keeps the rest, so positions are never reused.
 */
final class TopicLog implements IdentifiedDataSerializable {

  long epoch;
  long lastSeq;
  final ArrayDeque<byte[]> events = new ArrayDeque<>();
  /** Key to {seq, publishedAtMicros}, in publish order. */
  final LinkedHashMap<String, long[]> keys = new LinkedHashMap<>();
  /** Hub node id to the time (microseconds) its interest lapses unless renewed. */
  final LinkedHashMap<String, Long> followers = new LinkedHashMap<>();

  TopicLog() {
  }

  TopicLog(long epoch) {
    this.epoch = epoch;
  }

  /** The sequence number of the retained event published with {@code key} within the age, or 0. */
  long seqOfKey(String key) {
    long[] seen = keys.get(key);
    return seen == null ? 0 : seen[0];
  }

  /** Appends an event whose position is set; keeps at most {@code maxEvents}, none older than {@code oldest}. */
  void add(byte[] encoded, String key, int maxEvents, long oldest) {
    long seq = EventCodec.seqOf(encoded);
    lastSeq = seq;
    events.addLast(encoded);
    while (events.size() > maxEvents) {
      events.removeFirst();
    }
    if (key != null) {
      keys.put(key, new long[]{seq, EventCodec.publishedAtOf(encoded)});
    }
    expire(oldest);
  }

  /** Drops events and keys published before {@code oldest} (microseconds). */
  void expire(long oldest) {
    while (!events.isEmpty() && EventCodec.publishedAtOf(events.peekFirst()) < oldest) {
      events.removeFirst();
    }
    for (Iterator<long[]> it = keys.values().iterator(); it.hasNext(); ) {
      if (it.next()[1] >= oldest) {
        break;
      }
      it.remove();
    }
  }

  /** The nodes whose interest has not lapsed at {@code nowMicros}; lapsed ones are dropped. */
  String[] liveFollowers(long nowMicros) {
    followers.values().removeIf(leaseEnd -> leaseEnd < nowMicros);
    return followers.keySet().toArray(new String[0]);
  }

  @Override
  public int getFactoryId() {
    return LogSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return LogSerialization.TOPIC_LOG;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(epoch);
    out.writeLong(lastSeq);
    out.writeInt(events.size());
    for (byte[] event : events) {
      out.writeByteArray(event);
    }
    out.writeInt(keys.size());
    for (Map.Entry<String, long[]> key : keys.entrySet()) {
      out.writeString(key.getKey());
      out.writeLong(key.getValue()[0]);
      out.writeLong(key.getValue()[1]);
    }
    out.writeInt(followers.size());
    for (Map.Entry<String, Long> follower : followers.entrySet()) {
      out.writeString(follower.getKey());
      out.writeLong(follower.getValue());
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    epoch = in.readLong();
    lastSeq = in.readLong();
    for (int i = in.readInt(); i > 0; i--) {
      events.addLast(in.readByteArray());
    }
    for (int i = in.readInt(); i > 0; i--) {
      keys.put(in.readString(), new long[]{in.readLong(), in.readLong()});
    }
    for (int i = in.readInt(); i > 0; i--) {
      followers.put(in.readString(), in.readLong());
    }
  }
}
