package io.pushhub.mercure;

import io.pushhub.error.HubException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The publication form of the protocol's "Publication" section, decoded strictly. */
class MercureUpdateTest {

  private static final String FORM = "application/x-www-form-urlencoded";

  private static MercureUpdate parse(String body) {
    return MercureUpdate.parse(FORM, body.getBytes(StandardCharsets.UTF_8), 100);
  }

  private static String refusal(String contentType, String body) {
    HubException e = catchThrowableOfType(HubException.class,
      () -> MercureUpdate.parse(contentType, body.getBytes(StandardCharsets.UTF_8), 100));
    assertThat(e).as(body).isNotNull();
    return e.error().status() + " " + e.getMessage();
  }

  @Test
  void theSpecsExample() {
    MercureUpdate update = parse("topic=https://example.com/foo&data=the%20content");
    assertThat(update).isEqualTo(new MercureUpdate(List.of("https://example.com/foo"), "the content", false, null, null, null));
  }

  @Test
  void theFirstTopicIsCanonicalTheOthersAlternates() {
    MercureUpdate update = parse("topic=https://example.com/books/1"
      + "&topic=https://example.com/users/foo/?topic=https%253A%252F%252Fexample.com%252Fbooks%252F1&private=on");
    assertThat(update.canonical()).isEqualTo("https://example.com/books/1");
    assertThat(update.alternates()).containsExactly("https://example.com/users/foo/?topic=https%3A%2F%2Fexample.com%2Fbooks%2F1");
    assertThat(update.isPrivate()).isTrue();
  }

  @Test
  void everyField() {
    MercureUpdate update = parse("topic=t&data=line1%0Aline2&id=urn%3Auuid%3A1&type=book&retry=2500&private=");
    assertThat(update).isEqualTo(new MercureUpdate(List.of("t"), "line1\nline2", true, "urn:uuid:1", "book", 2500L));
    assertThat(parse("topic=t&private").isPrivate()).isTrue();
    assertThat(parse("topic=t&unknown=1&id=&type=&retry=")).isEqualTo(new MercureUpdate(List.of("t"), "", false, null, null, null));
    assertThat(parse("topic=t&data=caf%C3%A9+x").data()).isEqualTo("café x");
    assertThat(MercureUpdate.parse("application/x-www-form-urlencoded; charset=UTF-8", "topic=t&data=é".getBytes(StandardCharsets.UTF_8), 100).data())
      .isEqualTo("é");
  }

  @Test
  void badRequestsAre400s() {
    assertThat(refusal("application/json", "{\"topic\":\"t\"}")).startsWith("400");
    assertThat(refusal(null, "topic=t")).startsWith("400");
    assertThat(refusal(FORM, "data=x")).startsWith("400 missing topic");
    assertThat(refusal(FORM, "topic=")).startsWith("400");
    assertThat(refusal(FORM, "topic=a%0Ab")).startsWith("400");
    assertThat(refusal(FORM, "topic=" + "a".repeat(257))).startsWith("400");
    assertThat(refusal(FORM, "topic=t&data=%zz")).startsWith("400");
    assertThat(refusal(FORM, "topic=t&data=%C3")).startsWith("400");
    assertThat(refusal(FORM, "topic=t&data=a&data=b")).startsWith("400");
    assertThat(refusal(FORM, "topic=t&id=a&id=b")).startsWith("400");
    assertThat(refusal(FORM, "topic=t&id=a%0D%0Adata:%20forged")).startsWith("400");
    assertThat(refusal(FORM, "topic=t&type=a%0Ab")).startsWith("400");
    assertThat(refusal(FORM, "topic=t&id=%23frag")).startsWith("400");
    assertThat(refusal(FORM, "topic=t&id=earliest")).startsWith("400");
    assertThat(refusal(FORM, "topic=t&id=urn:pushhub:1.1:t")).startsWith("400");
    assertThat(refusal(FORM, "topic=t&retry=-1")).startsWith("400");
    assertThat(refusal(FORM, "topic=t&retry=1e3")).startsWith("400");
    assertThat(refusal(FORM, "topic=t&retry=99999999999")).startsWith("400");
    assertThat(refusal(FORM, "topic=t" + "&topic=t".repeat(MercureUpdate.MAX_TOPICS))).startsWith("400");
  }

  @Test
  void dataOverTheLimitIsA413() {
    assertThat(parse("topic=t&data=" + "x".repeat(100)).data()).hasSize(100);
    assertThat(refusal(FORM, "topic=t&data=" + "x".repeat(101))).startsWith("413");
    assertThat(refusal(FORM, "topic=t&data=" + "%C3%A9".repeat(51))).startsWith("413");
  }

  @Test
  void theHubsOwnTopicsCannotBeForged() {
    assertThat(refusal(FORM, "topic=t&topic=https://example.com/.well-known/mercure/subscriptions/x/y")).startsWith("403");
  }
}
