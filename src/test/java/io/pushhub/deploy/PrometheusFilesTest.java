package io.pushhub.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.pushhub.deploy.DeployFiles.at;
import static io.pushhub.deploy.DeployFiles.list;
import static io.pushhub.deploy.DeployFiles.map;
import static io.pushhub.deploy.DeployFiles.maps;
import static io.pushhub.deploy.DeployFiles.named;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules use only series the hub exports, and promtool (Debian package "prometheus",
 * installed by scripts/test) accepts both the rules and the hub's /metrics text.
 */
class PrometheusFilesTest {

  private static final Path ALERTS = Path.of("deploy/prometheus/alerts.yml");
  private static final Path ALERTS_TEST = Path.of("deploy/prometheus/alerts_test.yml");
  private static final Path OPERATOR = Path.of("deploy/prometheus/operator");
  /** Series names an expression may use: the hub's own, and the Vert.x, JVM and process meters it exports. */
  private static final Pattern HUB_SERIES = Pattern.compile("\\b((?:pushhub|vertx|jvm|process|system)_[a-z0-9_]+)");
  /**
   * promtool's lint complaints about Micrometer's standard JVM meters (names fixed by Micrometer
   * and its dashboards, not by pushhub). Any other complaint fails the test.
   */
  private static final Set<String> KNOWN_MICROMETER_LINT = Set.of(
    "jvm_compilation_time_ms_total metric names should not contain abbreviated units",
    "process_cpu_time_ns_total metric names should not contain abbreviated units",
    "system_cpu_count non-histogram and non-summary metrics should not have \"_count\" suffix");

  @Test
  void alertRulesOnlyUseSeriesTheHubExports() {
    Set<String> exported = ExportedMetrics.seriesNames();
    Set<String> used = new TreeSet<>();
    List<Map<String, Object>> groups = maps(DeployFiles.single(ALERTS).get("groups"));
    assertThat(groups).isNotEmpty();
    for (Map<String, Object> group : groups) {
      for (Map<String, Object> rule : maps(group.get("rules"))) {
        assertThat(rule).containsKeys("alert", "expr");
        assertThat(map(rule.get("labels"))).containsKey("severity");
        Matcher m = HUB_SERIES.matcher(String.valueOf(rule.get("expr")));
        while (m.find()) {
          used.add(m.group(1));
        }
      }
    }
    assertThat(used).contains("pushhub_circuit_breaker_state", "pushhub_slow_consumer_closes_total",
      "pushhub_rejected_total", "pushhub_delivery_latency_seconds_bucket");
    assertThat(exported).containsAll(used);
  }

  @Test
  void alertRulesNameOnlyRealRejectReasons() {
    // pushhub_rejected_total{reason} carries SPEC §2's error codes; a typo in a matcher would never fire.
    Set<String> reasons = new TreeSet<>();
    Matcher series = Pattern.compile("pushhub_rejected_total\\{reason=\"([a-z_]+)\"").matcher(ExportedMetrics.text());
    while (series.find()) {
      reasons.add(series.group(1));
    }
    assertThat(reasons).contains("capacity", "unavailable", "rate");
    Matcher matchers = Pattern.compile("reason=~\"([a-z_|]+)\"").matcher(DeployFiles.read(ALERTS));
    int found = 0;
    while (matchers.find()) {
      found++;
      assertThat(reasons).containsAll(Arrays.asList(matchers.group(1).split("\\|")));
    }
    assertThat(found).isPositive();
  }

  @Test
  void promtoolAcceptsTheAlertRules() throws Exception {
    Promtool.Result result = Promtool.run(null, "check", "rules", ALERTS.toString());
    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  @Test
  void alertsDoNotDependOnAJobName() {
    // Scrape configs name their jobs differently: a rule on job="pushhub" would never (or always) fire.
    for (Map<String, Object> group : maps(DeployFiles.single(ALERTS).get("groups"))) {
      for (Map<String, Object> rule : maps(group.get("rules"))) {
        // Joining on the job label is fine (it only pairs a target's series); matching a value is not.
        assertThat(String.valueOf(rule.get("expr"))).as(String.valueOf(rule.get("alert")))
          .doesNotContainPattern("\\bjob\\s*(=|!=|=~|!~)");
      }
    }
  }

  @Test
  void alertsFireOnTargetsOfAnyJobName() throws Exception {
    // alerts_test.yml: a node that stops answering, no node at all, a split cluster, heap pressure;
    // the targets' job is never "pushhub".
    Promtool.Result result = Promtool.run(null, "test", "rules", ALERTS_TEST.toString());
    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
    assertThat(DeployFiles.read(ALERTS_TEST)).doesNotContain("job=\"pushhub\"");
  }

  @Test
  void prometheusRuleForTheOperatorCarriesTheSameAlerts() {
    Map<String, Object> rule = DeployFiles.single(OPERATOR.resolve("prometheusrule.yaml"));
    assertThat(rule).containsEntry("apiVersion", "monitoring.coreos.com/v1").containsEntry("kind", "PrometheusRule");
    assertThat(map(rule.get("spec")).get("groups")).isEqualTo(DeployFiles.single(ALERTS).get("groups"));
  }

  @Test
  void serviceMonitorScrapesEveryHubPodOnItsHttpPort() {
    Map<String, Object> monitor = DeployFiles.single(OPERATOR.resolve("servicemonitor.yaml"));
    Map<String, Object> service = DeployFiles.single(OPERATOR.resolve("service.yaml"));
    assertThat(monitor).containsEntry("kind", "ServiceMonitor");
    assertThat(map(service.get("metadata")).get("labels"))
      .isEqualTo(at(monitor, "spec", "selector", "matchLabels"));
    Map<String, Object> endpoint = maps(at(monitor, "spec", "endpoints")).get(0);
    assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/metrics");
    // Every pod, ready or not, and the pods of the StatefulSet.
    assertThat(at(service, "spec", "publishNotReadyAddresses")).isEqualTo(true);
    Map<String, Object> podLabels = map(at(DeployFiles.k8s("StatefulSet"), "spec", "template", "metadata", "labels"));
    assertThat(podLabels).containsAllEntriesOf(map(at(service, "spec", "selector")));
    Map<String, Object> port = named(at(service, "spec", "ports"), "http");
    assertThat(port).containsEntry("targetPort", "http");
    List<Object> resources = list(DeployFiles.single(OPERATOR.resolve("kustomization.yaml")).get("resources"));
    assertThat(resources).containsExactlyInAnyOrder("service.yaml", "servicemonitor.yaml", "prometheusrule.yaml");
  }

  @Test
  void promtoolAcceptsTheHubsMetrics() throws Exception {
    Promtool.Result result = Promtool.run(ExportedMetrics.text(), "check", "metrics");
    // 0: clean; 3: lint problems only (1 would be a text that does not parse).
    assertThat(result.exit()).as(result.output()).isIn(0, 3);
    List<String> problems = result.output().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    assertThat(problems).as("promtool check metrics").allMatch(KNOWN_MICROMETER_LINT::contains);
    assertThat(problems).noneMatch(p -> p.startsWith("pushhub_") || p.startsWith("vertx_"));
  }
}
