package io.pushhub.event;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * The binary form of an event, for the replay ring and the cluster event bus: compact, no
 * class of the hub's in Hazelcast's serialization, versioned by its first byte.
 */
public final class EventCodec {

  private static final byte VERSION = 1;

  private EventCodec() {
  }

  public static byte[] encode(Event event) {
    Buffer buffer = Buffer.buffer(64 + event.data().length());
    Position p = event.position() == null ? Position.START : event.position();
    buffer.appendByte(VERSION).appendLong(p.epoch()).appendLong(p.seq()).appendLong(event.publishedAtMicros());
    putString(buffer, event.topic());
    putString(buffer, event.type());
    putString(buffer, event.data());
    putString(buffer, event.key());
    return buffer.getBytes();
  }

  public static Event decode(byte[] bytes) {
    return decode(Buffer.buffer(bytes));
  }

  public static Event decode(Buffer buffer) {
    if (buffer.getByte(0) != VERSION) {
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
    return new Event(topic, new Position(epoch, seq), type, data, key, publishedAt);
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
