package io.pushhub;

import io.pushhub.error.HubError;
import io.pushhub.support.TestHub;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each node counts its own refusals, even with another node in the same JVM. */
class RejectionCountsTest {

  private static final String REJECTED = "pushhub_rejected_total{reason=\"bad_request\"} ";

  @Test
  void twoNodesInOneJvmCountTheirRefusalsApart() {
    try (TestHub refusing = TestHub.start(); TestHub other = TestHub.start()) {
      assertThat(refusing.get("/events").status()).isEqualTo(400); // no topic
      assertThat(refusing.post("/publish", "not json").status()).isEqualTo(400);

      assertThat(refusing.hub().rejected(HubError.BAD_REQUEST)).isEqualTo(2);
      assertThat(other.hub().rejected(HubError.BAD_REQUEST)).isZero();
      assertThat(refusing.get("/metrics").body()).contains(REJECTED + "2.0");
      assertThat(other.get("/metrics").body()).contains(REJECTED + "0.0");
    }
  }
}
