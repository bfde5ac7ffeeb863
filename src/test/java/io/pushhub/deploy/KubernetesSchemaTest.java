package io.pushhub.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.pushhub.deploy.DeployFiles.K8S;
import static io.pushhub.deploy.DeployFiles.list;
import static io.pushhub.deploy.DeployFiles.str;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped Kubernetes objects, kustomize files and rendered Helm chart alike, against the JSON
 * schemas of the Kubernetes API and of the Prometheus operator's CRDs (deploy/schema-check).
 */
class KubernetesSchemaTest {

  private static final Path OPERATOR = DeployFiles.DEPLOY.resolve("prometheus/operator");

  @TempDir
  Path dir;

  @Test
  void kustomizeFilesMatchTheSchemas() throws Exception {
    List<Path> files = resources(K8S);
    files.addAll(resources(OPERATOR));
    SchemaCheck.Result result = SchemaCheck.run(files);
    assertThat(result.exit()).as(result.output()).isZero();
    for (Path file : files) {
      for (Object doc : DeployFiles.documents(file)) {
        assertThat(result.output()).as("checked, not skipped")
          .contains("ok   " + file + ": " + str(doc, "apiVersion") + " " + str(doc, "kind") + " " + str(doc, "metadata", "name"));
      }
    }
  }

  @Test
  void renderedChartMatchesTheSchemas() throws Exception {
    // Every optional object on, so that every template is rendered.
    String values = HelmChartTest.KEY_VALUES
      + "autoscaling:\n  enabled: true\nserviceMonitor:\n  enabled: true\nprometheusRule:\n  enabled: true\n";
    Path chart = Files.writeString(dir.resolve("chart.yaml"), HelmChartTest.template(dir, values));
    SchemaCheck.Result result = SchemaCheck.run(List.of(chart));
    assertThat(result.exit()).as(result.output()).isZero();
    for (String kind : List.of("StatefulSet", "Service", "Secret", "Role", "RoleBinding", "ServiceAccount",
      "PodDisruptionBudget", "HorizontalPodAutoscaler", "NetworkPolicy", "ServiceMonitor", "PrometheusRule")) {
      assertThat(result.output()).as(kind).containsPattern("(?m)^ok   .*: \\S+ " + kind + " ");
    }
  }

  @Test
  void refusesAWrongTypeAMisspeltRequiredFieldAndAnUnknownKind() throws Exception {
    String shipped = DeployFiles.read(K8S.resolve("statefulset.yaml"));
    List<Edit> edits = List.of(
      new Edit("replicas: 3", "replicas: three", "StatefulSet pushhub: spec.replicas: must be integer"),
      new Edit("containers:", "containres:",
        "StatefulSet pushhub: spec.template.spec: must have required property containers"),
      new Edit("kind: StatefulSet", "kind: StatefulSett", "StatefulSett pushhub: unknown kind apps/v1/StatefulSett"));
    for (int i = 0; i < edits.size(); i++) {
      Edit edit = edits.get(i);
      assertThat(shipped).contains(edit.from());
      Path file = Files.writeString(dir.resolve("broken-" + i + ".yaml"), shipped.replace(edit.from(), edit.to()));
      SchemaCheck.Result result = SchemaCheck.run(List.of(file));
      assertThat(result.exit()).as(result.output()).isEqualTo(1);
      assertThat(result.output()).contains("FAIL " + file + ": " + edit.refusal());
    }
  }

  private record Edit(String from, String to, String refusal) {
  }

  /** A kustomize directory's resources, as its kustomization.yaml lists them. */
  private static List<Path> resources(Path kustomizeDir) {
    Map<String, Object> kustomization = DeployFiles.single(kustomizeDir.resolve("kustomization.yaml"));
    return list(kustomization.get("resources")).stream().map(r -> kustomizeDir.resolve(r.toString()))
      .collect(Collectors.toCollection(ArrayList::new));
  }
}
