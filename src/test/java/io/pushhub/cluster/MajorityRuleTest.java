package io.pushhub.cluster;

import com.hazelcast.cluster.Member;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class MajorityRuleTest {

  private final Member a = hub();
  private final Member b = hub();
  private final Member c = hub();
  private final Member publisher = member(false);

  @Test
  void aSideOfOneOutOfThreeHasNoMajorityAndTheOtherTwoHaveIt() {
    MajorityRule alone = new MajorityRule(0);
    MajorityRule pair = new MajorityRule(0);
    assertThat(alone.apply(List.of(a, b, c))).isTrue();
    assertThat(pair.apply(List.of(a, b, c))).isTrue();

    assertThat(alone.apply(List.of(c))).isFalse();
    assertThat(pair.apply(List.of(a, b))).isTrue();
  }

  @Test
  void publishersAndToolsNeverCount() {
    MajorityRule rule = new MajorityRule(0);
    assertThat(rule.apply(List.of(a, b, c))).isTrue();
    assertThat(rule.apply(List.of(c, publisher, member(false), member(false)))).isFalse();
  }

  @Test
  void aMajorityBecomesTheBaselineSoTwoOfThreeCanLoseAnotherNodeThatLeavesOnPurpose() {
    MajorityRule rule = new MajorityRule(0);
    rule.apply(List.of(a, b, c));
    assertThat(rule.apply(List.of(a, b))).isTrue();
    assertThat(rule.baselineSize()).isEqualTo(2);

    rule.gone(b.getUuid());
    assertThat(rule.apply(List.of(a, b))).as("b announced it leaves, still a member").isTrue();
    assertThat(rule.apply(List.of(a))).isTrue();
  }

  @Test
  void halvesOfAnEvenSplitBothRefuse() {
    MajorityRule left = new MajorityRule(0);
    MajorityRule right = new MajorityRule(0);
    Member d = hub();
    left.apply(List.of(a, b, c, d));
    right.apply(List.of(a, b, c, d));
    assertThat(left.apply(List.of(a, b))).isFalse();
    assertThat(right.apply(List.of(c, d))).isFalse();
  }

  @Test
  void aTwoNodeClusterKeepsTheMajorityOnlyWhenTheOtherIsKnownGone() {
    MajorityRule rule = new MajorityRule(0);
    rule.apply(List.of(a, b));
    assertThat(rule.apply(List.of(a))).as("b vanished: cut off, paused or crashed").isFalse();
    rule.gone(b.getUuid());
    assertThat(rule.apply(List.of(a))).as("b proven gone").isTrue();
  }

  @Test
  void aSideThatLostTheMajorityGetsItBackOnlyWhenNodesRejoin() {
    MajorityRule rule = new MajorityRule(0);
    rule.apply(List.of(a, b, c));
    assertThat(rule.apply(List.of(c))).isFalse();
    assertThat(rule.apply(List.of(c))).isFalse();
    assertThat(rule.apply(List.of(a, b, c))).isTrue();
  }

  @Test
  void aFixedMinimumIgnoresHistory() {
    MajorityRule rule = new MajorityRule(2);
    assertThat(rule.apply(List.of(a))).isFalse();
    assertThat(rule.apply(List.of(a, b, c))).isTrue();
    assertThat(rule.apply(List.of(b, c))).isTrue();
    assertThat(rule.apply(List.of(c, publisher))).isFalse();
  }

  private static Member hub() {
    return member(true);
  }

  private static Member member(boolean hub) {
    UUID uuid = UUID.randomUUID();
    return (Member) Proxy.newProxyInstance(Member.class.getClassLoader(), new Class<?>[]{Member.class},
      (proxy, method, args) -> switch (method.getName()) {
        case "getUuid" -> uuid;
        case "getAttribute" -> hub && ClusterSetup.HUB_ATTRIBUTE.equals(args[0]) ? "1" : null;
        case "isLiteMember" -> !hub;
        case "equals" -> proxy == args[0];
        case "hashCode" -> uuid.hashCode();
        case "toString" -> (hub ? "hub " : "member ") + uuid;
        default -> throw new UnsupportedOperationException(method.getName());
      });
  }
}
