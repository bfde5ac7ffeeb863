package io.pushhub.mercure;

import io.pushhub.event.Cursor;
import io.pushhub.event.Event;
import io.pushhub.event.Position;
import io.pushhub.mercure.MercureIds.Earliest;
import io.pushhub.mercure.MercureIds.Generated;
import io.pushhub.mercure.MercureIds.Location;
import io.pushhub.mercure.MercureIds.Supplied;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MercureIdsTest {

  @Test
  void aGeneratedIdIsAnIriThatLocatesItsUpdate() throws Exception {
    String id = MercureIds.generate("https://example.com/books/1", new Position(1_000_000_007L, 42));
    assertThat(id).isEqualTo("urn:pushhub:" + Long.toString(1_000_000_007L, 36) + ".16:https%3A%2F%2Fexample.com%2Fbooks%2F1");
    assertThat(new URI(id).getScheme()).isEqualTo("urn");
    assertThat(MercureIds.parse(id)).isEqualTo(new Generated(
      new Location("https://example.com/books/1", new Position(1_000_000_007L, 42)), Cursor.NO_CHECK));
  }

  @Test
  void anUpdatesIdCarriesTheCheckOfWhatItSays() {
    Event update = new Event("a/b", new Position(36, 1), null, "hello", null, 5L);
    String id = MercureIds.of(update);
    assertThat(id).isEqualTo("urn:pushhub:10.1." + Integer.toString(update.check(), 36) + ":a%2Fb");
    assertThat(MercureIds.parse(id)).isEqualTo(new Generated(new Location("a/b", new Position(36, 1)), update.check()));
    assertThat(MercureIds.locate(id)).isEqualTo(new Location("a/b", new Position(36, 1)));
    for (String other : List.of("urn:pushhub:10.1.0" + Integer.toString(update.check(), 36) + ":a%2Fb",
      "urn:pushhub:10.1.:a%2Fb", "urn:pushhub:10.1.1.1:a%2Fb", "urn:pushhub:10.1.zzzzz:a%2Fb")) {
      assertThat(MercureIds.locate(other)).as(other).isNull();
    }
  }

  @Test
  void anyTopicRoundTrips() {
    for (String topic : List.of("a", "news/sport", "https://ex.com/é/{id}?q=1&r=%20", "space and\u00a0nbsp", "日本/🎉",
      "will-not-match}")) {
      Position position = new Position(Long.MAX_VALUE >> 24, Long.MAX_VALUE);
      String id = MercureIds.generate(topic, position);
      assertThat(id).matches("[A-Za-z0-9:._~%-]+");
      assertThat(MercureIds.locate(id)).isEqualTo(new Location(topic, position));
    }
  }

  @Test
  void eachPositionHasOneSpelling() {
    String id = MercureIds.generate("a/b", new Position(36, 1));
    assertThat(id).isEqualTo("urn:pushhub:10.1:a%2Fb");
    for (String other : List.of("urn:pushhub:010.1:a%2Fb", "urn:pushhub:10.1:a%2fb", "urn:pushhub:10.1:a/b",
      "urn:pushhub:1A.1:a", "urn:pushhub:10.1:%61", "urn:pushhub:0.1:a", "urn:pushhub:1.0:a", "urn:pushhub:-1.1:a",
      "urn:pushhub:1.1:", "urn:pushhub:1.1", "urn:pushhub:1:a", "urn:pushhub:10.1:%FF", "urn:pushhub:10.1:%4",
      "urn:pushhub:zzzzzzzzzzzzzz.1:a")) {
      assertThat(MercureIds.locate(other)).as(other).isNull();
      assertThat(MercureIds.parse(other)).as(other).isEqualTo(new Supplied(other));
    }
  }

  @Test
  void earliestAndPublisherIds() {
    assertThat(MercureIds.parse("earliest")).isEqualTo(new Earliest());
    assertThat(MercureIds.parse("urn:uuid:e1ee88e2-532a-4d6f-ba70-f0f8bd584022"))
      .isEqualTo(new Supplied("urn:uuid:e1ee88e2-532a-4d6f-ba70-f0f8bd584022"));
    assertThat(MercureIds.invalidSuppliedReason("https://example.com/books/1#rev-3")).isNull();
    assertThat(MercureIds.invalidSuppliedReason("#3")).contains("#");
    assertThat(MercureIds.invalidSuppliedReason("earliest")).contains("earliest");
    assertThat(MercureIds.invalidSuppliedReason("urn:pushhub:1.1:a")).contains("hub's own");
  }
}
