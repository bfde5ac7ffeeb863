package io.pushhub.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/grafana/pushhub.json is a Grafana dashboard whose every query names only series a running
 * hub exports, parses as PromQL (promtool), and covers what an operator watches.
 */
class GrafanaDashboardTest {

  private static final Path DASHBOARD = Path.of("deploy/grafana/pushhub.json");
  private static final Pattern SERIES = Pattern.compile("\\b((?:pushhub|vertx|jvm|process|system)_[a-z0-9_]+)");
  private static final String DATASOURCE = "${datasource}";

  @Test
  void dashboardIsValidJsonWithUniquePanelsOnATemplatedDataSource() {
    JsonObject dashboard = dashboard();
    assertThat(dashboard.getString("uid")).isEqualTo("pushhub");
    assertThat(dashboard.getString("title")).isNotBlank();
    Set<Integer> ids = new HashSet<>();
    List<JsonObject> panels = panels(dashboard);
    assertThat(panels).hasSizeGreaterThan(10);
    for (JsonObject panel : panels) {
      assertThat(ids.add(panel.getInteger("id"))).as("unique panel id " + panel.getInteger("id")).isTrue();
      assertThat(panel.getJsonObject("gridPos").fieldNames()).contains("x", "y", "w", "h");
      if (!"row".equals(panel.getString("type"))) {
        assertThat(panel.getJsonObject("datasource").getString("uid")).as(panel.getString("title")).isEqualTo(DATASOURCE);
        assertThat(panel.getJsonArray("targets")).as(panel.getString("title")).isNotEmpty();
      }
    }
    JsonArray variables = dashboard.getJsonObject("templating").getJsonArray("list");
    assertThat(variables.getJsonObject(0).getString("name")).isEqualTo("datasource");
    assertThat(variables.getJsonObject(0).getString("query")).isEqualTo("prometheus");
  }

  @Test
  void everyQueryNamesOnlySeriesTheHubExports() {
    Set<String> exported = ExportedMetrics.seriesNames();
    Set<String> used = new TreeSet<>();
    for (String expr : queries()) {
      assertThat(expr).as("no job name: scrape configs name jobs differently").doesNotContain("job=");
      Matcher m = SERIES.matcher(expr);
      boolean any = false;
      while (m.find()) {
        any = true;
        used.add(m.group(1));
      }
      assertThat(any).as("names a hub series: " + expr).isTrue();
    }
    assertThat(exported).containsAll(used);
    // What the dashboard is for: streams, deliveries, latency, publishes, refusals, slow consumers,
    // cluster members, breaker state.
    assertThat(used).contains("pushhub_connections", "pushhub_events_delivered_total",
      "pushhub_delivery_latency_seconds_bucket", "pushhub_events_published_total", "pushhub_rejected_total",
      "pushhub_slow_consumer_closes_total", "pushhub_cluster_members", "pushhub_circuit_breaker_state");
  }

  @Test
  void promtoolParsesEveryQuery(@TempDir Path dir) throws Exception {
    // Grafana's variables replaced by what they expand to; each query then becomes a recording rule.
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    int n = 0;
    for (String expr : queries()) {
      if (expr.startsWith("label_values(")) {
        continue;
      }
      String promql = expr.replace("$__rate_interval", "5m").replace("$instance", ".*");
      assertThat(promql).doesNotContain("$");
      rules.append("      - record: dashboard:query_").append(n++).append("\n        expr: '")
        .append(promql.replace("'", "''")).append("'\n");
    }
    assertThat(n).isGreaterThan(10);
    Path file = Files.writeString(dir.resolve("dashboard-rules.yml"), rules);
    Promtool.Result result = Promtool.run(null, "check", "rules", file.toString());
    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS: " + n + " rules found");
  }

  private static JsonObject dashboard() {
    return new JsonObject(DeployFiles.read(DASHBOARD));
  }

  private static List<JsonObject> panels(JsonObject dashboard) {
    List<JsonObject> panels = new ArrayList<>();
    dashboard.getJsonArray("panels").forEach(p -> panels.add((JsonObject) p));
    return panels;
  }

  /** Every panel query, and the variable queries that read series. */
  private static List<String> queries() {
    JsonObject dashboard = dashboard();
    List<String> queries = new ArrayList<>();
    for (JsonObject panel : panels(dashboard)) {
      JsonArray targets = panel.getJsonArray("targets", new JsonArray());
      targets.forEach(t -> queries.add(((JsonObject) t).getString("expr")));
    }
    dashboard.getJsonObject("templating").getJsonArray("list").forEach(v -> {
      if ("query".equals(((JsonObject) v).getString("type"))) {
        queries.add(((JsonObject) v).getString("definition"));
      }
    });
    assertThat(queries).doesNotContainNull();
    return queries;
  }
}
