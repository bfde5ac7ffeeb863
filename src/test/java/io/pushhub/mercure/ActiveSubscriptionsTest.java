package io.pushhub.mercure;

import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-node bound on listed subscriptions, and the ids of subscriptions. */
class ActiveSubscriptionsTest {

  private final ActiveSubscriptions active = new ActiveSubscriptions(new MemorySubscriptionRegistry("n"), null, null, 3);

  @Test
  void aStreamPastTheNodesBoundIsRefusedAndRoomComesBackWhenAStreamNeverStarted() {
    ActiveSubscriptions.Stream two = active.reserve(List.of("a", "b"), null);
    assertThatThrownBy(() -> active.reserve(List.of("c", "d"), null))
      .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.error()).isEqualTo(HubError.CAPACITY));
    two.releaseUnopened();
    two.releaseUnopened();
    active.reserve(List.of("c", "d", "e"), null);
    assertThatThrownBy(() -> active.reserve(List.of("f"), null)).isInstanceOf(HubException.class);
  }

  @Test
  void aSelectorTooLongForItsSubscriptionTopicIsRefused() {
    String longSelector = "https://example.com/" + "{x}".repeat(1000);
    assertThatThrownBy(() -> active.reserve(List.of(longSelector), null))
      .isInstanceOfSatisfying(HubException.class, e -> assertThat(e.error()).isEqualTo(HubError.BAD_REQUEST));
    active.reserve(List.of("a", "b", "c"), null);
  }

  @Test
  void theIdExpandsTopicAndSubscriberPercentEncoded() {
    ActiveSubscription s = new ActiveSubscription("https://example.com/{selector}",
      "urn:uuid:bb3de268-05b0-4c65-b44e-8f9acefc29d6", null, "n");
    assertThat(s.id()).isEqualTo("/.well-known/mercure/subscriptions/https%3A%2F%2Fexample.com%2F%7Bselector%7D/"
      + "urn%3Auuid%3Abb3de268-05b0-4c65-b44e-8f9acefc29d6");
    assertThat(ActiveSubscription.decode(s.encode())).isEqualTo(s);
  }
}
