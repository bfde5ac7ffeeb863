package io.pushhub.sse;

import io.pushhub.client.SseEvent;
import io.pushhub.client.SseDecoder;
import io.pushhub.event.Cursor;
import io.pushhub.event.Event;
import io.pushhub.event.Position;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseEncoderTest {

  private static final Position AT = new Position(12345, 7);

  private static Event event(String type, String data) {
    return new Event("news/sport", AT, type, data, null, 0);
  }

  /** What a conforming client rebuilds from the frame. */
  private static List<SseEvent> parse(byte[] frame) {
    List<SseEvent> frames = new ArrayList<>();
    SseDecoder parser = new SseDecoder(frames::add, c -> { });
    parser.feed(frame);
    return frames;
  }

  private static String text(SseFrame encoded) {
    return encoded.frame().toString(StandardCharsets.UTF_8);
  }

  @Test
  void splitsDataOnLfCrlfAndCr() {
    SseFrame encoded = SseEncoder.encode(event(null, "a\nb\r\nc\rd"));
    assertThat(text(encoded)).isEqualTo("id: " + event(null, "a\nb\r\nc\rd").cursor() + "\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
    assertThat(parse(encoded.frame().getBytes())).singleElement()
      .satisfies(f -> assertThat(f.data()).isEqualTo("a\nb\nc\nd"));
  }

  @Test
  void emptyDataIsOneEmptyDataLine() {
    assertThat(new String(SseEncoder.body(event(null, "")), StandardCharsets.UTF_8)).isEqualTo("data: \n\n");
    assertThat(parse(SseEncoder.encode(event(null, "")).frame().getBytes())).singleElement()
      .satisfies(f -> assertThat(f.data()).isEmpty());
  }

  @Test
  void trailingNewlineGivesLastEmptyDataLine() {
    assertThat(new String(SseEncoder.body(event(null, "x\n")), StandardCharsets.UTF_8)).isEqualTo("data: x\ndata: \n\n");
    assertThat(new String(SseEncoder.body(event(null, "x\r")), StandardCharsets.UTF_8)).isEqualTo("data: x\ndata: \n\n");
    assertThat(new String(SseEncoder.body(event(null, "\r\n")), StandardCharsets.UTF_8)).isEqualTo("data: \ndata: \n\n");
  }

  @Test
  void eventTypeLineOnlyForOtherTypes() {
    assertThat(new String(SseEncoder.body(event("update", "1")), StandardCharsets.UTF_8))
      .isEqualTo("event: update\ndata: 1\n\n");
    assertThat(parse(SseEncoder.encode(event("update", "1")).frame().getBytes())).singleElement()
      .satisfies(f -> assertThat(f.event()).isEqualTo("update"));
  }

  @Test
  void leadingSpacesOfALineSurvive() {
    String data = " one\n  two";
    assertThat(parse(SseEncoder.encode(event(null, data)).frame().getBytes())).singleElement()
      .satisfies(f -> assertThat(f.data()).isEqualTo(data));
  }

  @Test
  void fourByteCharactersAtEveryOffsetOfALargePayloadSurvive() {
    String emoji = "\uD83D\uDE00"; // U+1F600, four bytes in UTF-8
    StringBuilder base = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      base.append((char) ('a' + i % 26));
      if (i % 97 == 0) {
        base.append("\r\n");
      }
    }
    for (int offset = 0; offset <= base.length(); offset += 1) {
      if (offset > 0 && Character.isLowSurrogate(base.charAt(offset - 1))) {
        continue;
      }
      String data = new StringBuilder(base).insert(offset, emoji).toString();
      byte[] frame = SseEncoder.encode(event(null, data)).frame().getBytes();
      String expected = data.replace("\r\n", "\n").replace('\r', '\n');
      assertThat(parse(frame)).singleElement().satisfies(f -> assertThat(f.data()).isEqualTo(expected));
    }
  }

  @Test
  void controlEventsHaveNoId() {
    String text = SseEncoder.control("resync", "{\"topics\":[\"a\"],\"reason\":\"evicted\"}").toString();
    assertThat(text).isEqualTo("event: resync\ndata: {\"topics\":[\"a\"],\"reason\":\"evicted\"}\n\n");
  }

  @Test
  void idOnlyFrameSetsLastEventIdWithoutAnEvent() {
    List<SseEvent> frames = new ArrayList<>();
    SseDecoder parser = new SseDecoder(frames::add, c -> { });
    parser.feed(SseEncoder.idOnly("abc.1.2").getBytes());
    assertThat(frames).isEmpty();
    assertThat(parser.lastEventId()).isEqualTo("abc.1.2");
  }

  @Test
  void anIdCountsOnlyOnceItsFrameIsComplete() {
    List<SseEvent> frames = new ArrayList<>();
    SseDecoder parser = new SseDecoder(frames::add, c -> { }, "before");
    // A stream cut inside a frame: resuming from its id would skip an event never received.
    parser.feed("id: next\ndata: half".getBytes(StandardCharsets.UTF_8));
    assertThat(parser.lastEventId()).isEqualTo("before");
    parser.feed("\n\n".getBytes(StandardCharsets.UTF_8));
    assertThat(parser.lastEventId()).isEqualTo("next");
    assertThat(frames).extracting(SseEvent::id).containsExactly("next");
  }
}
