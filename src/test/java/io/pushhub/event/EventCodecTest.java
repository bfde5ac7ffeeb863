package io.pushhub.event;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventCodecTest {

  @Test
  void aPushhubEventKeepsTheFirstVersionOfTheForm() {
    Event event = new Event("news/sport", new Position(7, 3), "goal", "1-0", "key-1", 42);
    byte[] bytes = EventCodec.encode(event);
    assertThat(bytes[0]).isEqualTo((byte) 1);
    assertThat(EventCodec.decode(bytes)).isEqualTo(event);
  }

  @Test
  void aMercureUpdateKeepsItsAlternatesPrivacyIdAndRetry() {
    Event update = new Event("https://example.com/books/1", new Position(9, 1), "some type", "data\nlines", null, 43,
      new Event.Mercure(List.of("https://example.com/users/42", "ünïcode"), true, "publisher-id", 5000));
    byte[] bytes = EventCodec.encode(update);
    assertThat(bytes[0]).isEqualTo((byte) 2);
    assertThat(EventCodec.decode(bytes)).isEqualTo(update);
    Event withoutId = new Event("plain", new Position(9, 2), null, "", null, 44,
      new Event.Mercure(List.of(), false, null, 0));
    assertThat(EventCodec.decode(EventCodec.encode(withoutId))).isEqualTo(withoutId);
  }
}
