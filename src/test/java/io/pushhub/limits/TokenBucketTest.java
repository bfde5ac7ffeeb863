package io.pushhub.limits;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTest {

  @Test
  void refillsContinuouslyUpToItsRate() {
    Limits.TokenBucket bucket = new Limits.TokenBucket(4, 0);
    for (int i = 0; i < 4; i++) {
      assertThat(bucket.take(0)).isZero();
    }
    assertThat(bucket.take(0)).isEqualTo(250_000_000L);
    assertThat(bucket.take(250_000_000L)).isZero();
    assertThat(bucket.take(250_000_000L)).isPositive();
    // A long pause saves up no more than one second's worth.
    long later = 60_000_000_000L;
    for (int i = 0; i < 4; i++) {
      assertThat(bucket.take(later)).isZero();
    }
    assertThat(bucket.take(later)).isPositive();
  }
}
