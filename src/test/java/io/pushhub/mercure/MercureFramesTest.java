package io.pushhub.mercure;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MercureFramesTest {

  @Test
  void everyFieldInOneFrame() {
    assertThat(MercureFrames.encode("urn:uuid:1", "book", 1500L, "{\"id\":1}").toString())
      .isEqualTo("event: book\nretry: 1500\nid: urn:uuid:1\ndata: {\"id\":1}\n\n");
  }

  @Test
  void defaultTypeAndNoRetryAreLeftOut() {
    MercureUpdate update = new MercureUpdate(List.of("t"), "x", false, null, null, null);
    assertThat(MercureFrames.encode("id-1", update).toString()).isEqualTo("id: id-1\ndata: x\n\n");
  }

  @Test
  void everyKindOfLineBreakStartsADataLine() {
    assertThat(MercureFrames.encode("i", null, null, "a\nb\r\nc\rd\n").toString())
      .isEqualTo("id: i\ndata: a\ndata: b\ndata: c\ndata: d\ndata: \n\n");
    assertThat(MercureFrames.encode("i", null, null, "\r\r\n").toString())
      .isEqualTo("id: i\ndata: \ndata: \ndata: \n\n");
    assertThat(MercureFrames.encode("i", null, null, "").toString()).isEqualTo("id: i\ndata: \n\n");
  }

  @Test
  void dataIsUtf8() {
    assertThat(MercureFrames.encode("i", null, null, "café 🎉").getBytes())
      .isEqualTo("id: i\ndata: café 🎉\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void anIdOrTypeCannotInjectFields() {
    assertThatThrownBy(() -> MercureFrames.encode("a\ndata: forged", null, null, "x"))
      .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MercureFrames.encode("a", "t\rretry: 1", null, "x"))
      .isInstanceOf(IllegalArgumentException.class);
  }
}
