package io.pushhub.event;

import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of an event, for the cluster's replay log and the cluster event bus: compact, no
 * class of the hub's in Hazelcast's serialization, versioned by its first byte: version 1 for a
 * pushhub publish (what every earlier node reads), version 2 when the event has Mercure fields.
 */
public final class EventCodec {

  private static final byte VERSION = 1;
  private static final byte WITH_MERCURE = 2;

  private EventCodec() {
  }

  public static byte[] encode(Event event) {
    Buffer buffer = Buffer.buffer(64 + event.data().length());
    Position p = event.position() == null ? Position.START : event.position();
    Event.Mercure mercure = event.mercure();
    buffer.appendByte(mercure == null ? VERSION : WITH_MERCURE).appendLong(p.epoch()).appendLong(p.seq()).appendLong(event.publishedAtMicros());
    putString(buffer, event.topic());
    putString(buffer, event.type());
    putString(buffer, event.data());
    putString(buffer, event.key());
    if (mercure != null) {
      buffer.appendByte((byte) (mercure.isPrivate() ? 1 : 0)).appendLong(mercure.retryMillis());
      putString(buffer, mercure.id());
      buffer.appendInt(mercure.alternates().size());
      mercure.alternates().forEach(alternate -> putString(buffer, alternate));
    }
    return buffer.getBytes();
  }

  /** Sets the position inside an encoded event, in place: how a log sequences an event it was sent encoded. */
  public static void setPosition(byte[] encoded, Position position) {
    ByteBuffer.wrap(encoded).putLong(1, position.epoch()).putLong(9, position.seq());
  }

  /** The sequence number of an encoded event. */
  public static long seqOf(byte[] encoded) {
    return ByteBuffer.wrap(encoded).getLong(9);
  }

  /** The publish time of an encoded event, in microseconds since the epoch. */
  public static long publishedAtOf(byte[] encoded) {
    return ByteBuffer.wrap(encoded).getLong(17);
  }

  public static Event decode(byte[] bytes) {
    return decode(Buffer.buffer(bytes));
  }

  public static Event decode(Buffer buffer) {
    byte version = buffer.getByte(0);
    if (version != VERSION && version != WITH_MERCURE) {
      throw new IllegalArgumentException("unknown event encoding " + buffer.getByte(0));
    }
    long epoch = buffer.getLong(1);
    long seq = buffer.getLong(9);
    long publishedAt = buffer.getLong(17);
    int[] at = {25};
    String topic = getString(buffer, at);
    String type = getString(buffer, at);
    String data = getString(buffer, at);
    String key = getString(buffer, at);
    Event.Mercure mercure = version == WITH_MERCURE ? mercure(buffer, at) : null;
    return new Event(topic, new Position(epoch, seq), type, data, key, publishedAt, mercure);
  }

  private static Event.Mercure mercure(Buffer buffer, int[] at) {
    boolean isPrivate = buffer.getByte(at[0]) == 1;
    long retry = buffer.getLong(at[0] + 1);
    at[0] += 9;
    String id = getString(buffer, at);
    int count = buffer.getInt(at[0]);
    at[0] += 4;
    List<String> alternates = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      alternates.add(getString(buffer, at));
    }
    return new Event.Mercure(alternates, isPrivate, id, retry);
  }

  private static void putString(Buffer buffer, String s) {
    if (s == null) {
      buffer.appendInt(-1);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  private static String getString(Buffer buffer, int[] at) {
    int length = buffer.getInt(at[0]);
    at[0] += 4;
    if (length < 0) {
      return null;
    }
    String s = buffer.getString(at[0], at[0] + length, "UTF-8");
    at[0] += length;
    return s;
  }
}
