package io.pushhub.deploy;

import com.marcnuri.helm.Helm;
import io.pushhub.config.ConfigLoader;
import io.pushhub.config.HubConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.pushhub.deploy.DeployFiles.HELM_CHART;
import static io.pushhub.deploy.DeployFiles.at;
import static io.pushhub.deploy.DeployFiles.k8s;
import static io.pushhub.deploy.DeployFiles.map;
import static io.pushhub.deploy.DeployFiles.maps;
import static io.pushhub.deploy.DeployFiles.named;
import static io.pushhub.deploy.DeployFiles.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * deploy/helm/pushhub rendered by Helm's own template engine (helm-java: Helm's Go library, no CLI)
 * gives the objects of deploy/k8s: the same pods, probes, timings, discovery and its Role; and it
 * never renders a hub that runs open. KubernetesSchemaTest checks the rendered objects against the
 * Kubernetes API's schemas.
 */
class HelmChartTest {

  private static final String NAMESPACE = "push";
  static final String KEY_VALUES = "auth:\n  hs256Secret: chart-test-secret-chart-test-secret\n";

  @TempDir
  Path dir;

  @Test
  void rendersTheObjectsOfTheKustomizeFiles() throws Exception {
    Map<String, List<Map<String, Object>>> chart = render(KEY_VALUES + "autoscaling:\n  enabled: true\n");
    // Namespace: Helm's --namespace; ConfigMap: the config is a Secret, since it holds the keys.
    Set<String> kustomize = DeployFiles.yamlFiles().stream().filter(p -> p.startsWith(DeployFiles.K8S))
      .flatMap(p -> DeployFiles.documents(p).stream()).map(d -> str(d, "kind")).collect(Collectors.toSet());
    kustomize.removeAll(Set.of("Namespace", "ConfigMap", "Kustomization"));
    assertThat(chart.keySet()).containsAll(kustomize).contains("Secret");

    Map<String, Object> sts = one(chart, "StatefulSet");
    Map<String, Object> expected = k8s("StatefulSet");
    for (String field : List.of("podManagementPolicy", "minReadySeconds", "updateStrategy", "replicas")) {
      if (field.equals("replicas")) {
        assertThat(map(sts.get("spec"))).doesNotContainKey("replicas"); // the HPA owns it
        continue;
      }
      assertThat(at(sts, "spec", field)).as(field).isEqualTo(at(expected, "spec", field));
    }
    for (String field : List.of("terminationGracePeriodSeconds", "securityContext")) {
      assertThat(at(sts, "spec", "template", "spec", field)).as(field)
        .isEqualTo(at(expected, "spec", "template", "spec", field));
    }
    Map<String, Object> container = container(sts);
    Map<String, Object> expectedContainer =
      withoutKeysSecret(named(at(expected, "spec", "template", "spec", "containers"), "pushhub"));
    for (String field : List.of("args", "ports", "resources", "securityContext", "startupProbe", "readinessProbe",
      "livenessProbe", "lifecycle", "volumeMounts")) {
      assertThat(container.get(field)).as(field).isEqualTo(expectedContainer.get(field));
    }
    assertThat(maps(container.get("env")).stream().map(e -> e.get("name")).toList())
      .isEqualTo(maps(expectedContainer.get("env")).stream().map(e -> e.get("name")).toList());

    assertThat(at(one(chart, "Role"), "rules")).isEqualTo(at(k8s("Role"), "rules"));
    assertThat(at(one(chart, "HorizontalPodAutoscaler"), "spec", "metrics"))
      .isEqualTo(at(k8s("HorizontalPodAutoscaler"), "spec", "metrics"));
    assertThat(at(one(chart, "HorizontalPodAutoscaler"), "spec", "behavior"))
      .isEqualTo(at(k8s("HorizontalPodAutoscaler"), "spec", "behavior"));
    assertThat(at(one(chart, "NetworkPolicy"), "spec", "ingress", 0))
      .isEqualTo(at(k8s("NetworkPolicy"), "spec", "ingress", 0));
    assertThat(at(one(chart, "NetworkPolicy"), "spec", "ingress", 1, "ports"))
      .isEqualTo(at(k8s("NetworkPolicy"), "spec", "ingress", 1, "ports"));
    assertThat(at(one(chart, "PodDisruptionBudget"), "spec", "maxUnavailable")).isEqualTo(1);
  }

  @Test
  void keepsHazelcastsKubernetesDiscoveryWorking() throws Exception {
    Map<String, List<Map<String, Object>>> chart = render(KEY_VALUES);
    Map<String, Object> sts = one(chart, "StatefulSet");
    Map<String, Object> pods = map(at(sts, "spec", "template", "metadata", "labels"));
    Map<String, Object> headless = chart.get("Service").stream()
      .filter(s -> "None".equals(map(s.get("spec")).get("clusterIP"))).findFirst().orElseThrow();
    String headlessName = str(headless, "metadata", "name");
    assertThat(str(sts, "spec", "serviceName")).isEqualTo(headlessName);
    assertThat(env(container(sts), "PUSHHUB_KUBERNETES_SERVICE")).isEqualTo(headlessName);
    assertThat(at(headless, "spec", "publishNotReadyAddresses")).isEqualTo(true);
    assertThat(str(named(at(headless, "spec", "ports"), "hazelcast"), "port"))
      .isEqualTo(env(container(sts), "PUSHHUB_CLUSTER_PORT"));
    for (Map<String, Object> service : chart.get("Service")) {
      assertThat(pods).containsAllEntriesOf(map(at(service, "spec", "selector")));
    }
    // The Role is bound to the pods' account, in the release's namespace.
    Map<String, Object> binding = one(chart, "RoleBinding");
    assertThat(str(binding, "roleRef", "name")).isEqualTo(str(one(chart, "Role"), "metadata", "name"));
    Map<String, Object> subject = maps(binding.get("subjects")).get(0);
    assertThat(subject).containsEntry("kind", "ServiceAccount").containsEntry("namespace", NAMESPACE)
      .containsEntry("name", str(sts, "spec", "template", "spec", "serviceAccountName"));
    assertThat(str(one(chart, "ServiceAccount"), "metadata", "name")).isEqualTo(subject.get("name"));
  }

  @Test
  void configComesFromASecretAndLoadsInTheHub() throws Exception {
    Map<String, List<Map<String, Object>>> chart = render(KEY_VALUES);
    Map<String, Object> sts = one(chart, "StatefulSet");
    Map<String, Object> secret = one(chart, "Secret");
    Map<String, Object> volume = named(at(sts, "spec", "template", "spec", "volumes"), "config");
    assertThat(str(volume, "secret", "secretName")).isEqualTo(str(secret, "metadata", "name"));
    assertThat(chart).doesNotContainKey("ConfigMap");
    HubConfig config = config(secret);
    assertThat(config.auth().developmentMode()).isFalse();
    assertThat(config.auth().hs256Secret()).isEqualTo("chart-test-secret-chart-test-secret");
    assertThat(config.cluster().enabled()).isTrue();
    assertThat(config.cluster().config()).isEqualTo("/app/cluster-config/hazelcast-kubernetes.xml");
    assertThat(config.cluster().port()).isEqualTo(port(sts, "eventbus"));
    assertThat(config.http().port()).isEqualTo(port(sts, "http"));
    assertThat(config.http().trustForwardedFor()).isFalse();
    // Grace period: preStop sleep + drain + 5 s of shutdown, with a margin.
    int grace = DeployFiles.integer(sts, "spec", "template", "spec", "terminationGracePeriodSeconds");
    assertThat(grace).isGreaterThan(5 + config.http().drainSeconds() + 5);
    // A changed config rolls the pods.
    assertThat(map(at(sts, "spec", "template", "metadata", "annotations"))).containsKey("checksum/config");
  }

  @Test
  void refusesToRenderAHubWithoutKeys() {
    assertThatThrownBy(() -> render("{}")).hasMessageContaining("development mode");
  }

  @Test
  void existingSecretReplacesTheRenderedConfig() throws Exception {
    Map<String, List<Map<String, Object>>> chart = render("existingConfigSecret: my-pushhub-config\n");
    assertThat(chart).doesNotContainKey("Secret");
    Map<String, Object> volume = named(at(one(chart, "StatefulSet"), "spec", "template", "spec", "volumes"), "config");
    assertThat(str(volume, "secret", "secretName")).isEqualTo("my-pushhub-config");
  }

  @Test
  void forwardedForIsTrustedOnlyFromTheConfiguredProxies() throws Exception {
    HubConfig config = config(one(render(KEY_VALUES + "http:\n  trustedProxies: [\"10.42.0.0/16\"]\n"), "Secret"));
    assertThat(config.http().trustForwardedFor()).isTrue();
    assertThat(config.http().trustedProxies()).containsExactly("10.42.0.0/16");
    JsonObject plain = configJson(one(render(KEY_VALUES), "Secret"));
    assertThat(plain.getJsonObject("http").fieldNames()).doesNotContain("trustForwardedFor", "trustedProxies");
  }

  @Test
  void jwksAndPublicKeysReachTheConfig() throws Exception {
    String values = "auth:\n  jwksUrl: https://id.example.com/.well-known/jwks.json\n  issuer: https://id.example.com/\n";
    HubConfig config = config(one(render(values), "Secret"));
    assertThat(config.auth().jwks().url()).isEqualTo("https://id.example.com/.well-known/jwks.json");
    assertThat(config.auth().issuer()).isEqualTo("https://id.example.com/");
    assertThat(config.auth().developmentMode()).isFalse();
  }

  @Test
  void operatorObjectsCarryTheShippedAlerts() throws Exception {
    assertThat(DeployFiles.read(HELM_CHART.resolve("files/alerts.yml")))
      .as("the chart's copy of deploy/prometheus/alerts.yml").isEqualTo(DeployFiles.read(Path.of("deploy/prometheus/alerts.yml")));
    Map<String, List<Map<String, Object>>> chart = render(KEY_VALUES
      + "serviceMonitor:\n  enabled: true\nprometheusRule:\n  enabled: true\nprometheusAnnotations: false\n");
    assertThat(map(one(chart, "PrometheusRule").get("spec")).get("groups"))
      .isEqualTo(DeployFiles.single(Path.of("deploy/prometheus/alerts.yml")).get("groups"));
    Map<String, Object> monitor = one(chart, "ServiceMonitor");
    Map<String, Object> metrics = chart.get("Service").stream()
      .filter(s -> map(at(s, "metadata", "labels")).containsKey("app.kubernetes.io/component")).findFirst().orElseThrow();
    assertThat(map(at(metrics, "metadata", "labels"))).containsAllEntriesOf(map(at(monitor, "spec", "selector", "matchLabels")));
    assertThat(at(metrics, "spec", "publishNotReadyAddresses")).isEqualTo(true);
    assertThat(map(at(one(chart, "StatefulSet"), "spec", "template", "metadata", "annotations")))
      .doesNotContainKey("prometheus.io/scrape");
  }

  // --- helpers

  /** helm template with these values, as objects by kind. */
  private Map<String, List<Map<String, Object>>> render(String values) throws Exception {
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(template(dir, values))) {
      if (doc != null) {
        objects.add(map(doc));
      }
    }
    assertThat(objects).allSatisfy(o -> assertThat(o).containsKeys("apiVersion", "kind", "metadata"));
    return objects.stream().collect(Collectors.groupingBy(o -> str(o, "kind")));
  }

  /** The manifests that {@code helm template} prints for these values (written as a file under {@code dir}). */
  static String template(Path dir, String values) throws Exception {
    Path file = Files.writeString(dir.resolve("values-" + System.nanoTime() + ".yaml"), values);
    return new Helm(HELM_CHART).template().withName("pushhub").withNamespace(NAMESPACE).withValuesFile(file).call();
  }

  private static Map<String, Object> one(Map<String, List<Map<String, Object>>> chart, String kind) {
    List<Map<String, Object>> found = chart.getOrDefault(kind, List.of());
    assertThat(found).as(kind).hasSize(1);
    return found.get(0);
  }

  private static Map<String, Object> container(Map<String, Object> sts) {
    return named(at(sts, "spec", "template", "spec", "containers"), "pushhub");
  }

  /**
   * kustomize's container without its keys Secret (the second {@code --config} file and its mount):
   * the chart's one Secret holds the whole config, keys included.
   */
  private static Map<String, Object> withoutKeysSecret(Map<String, Object> container) {
    Map<String, Object> copy = new HashMap<>(container);
    List<Object> args = new ArrayList<>(DeployFiles.list(container.get("args")));
    assertThat(args.subList(args.size() - 2, args.size())).containsExactly("--config", "/etc/pushhub-auth/auth.json");
    copy.put("args", args.subList(0, args.size() - 2));
    List<Map<String, Object>> mounts = maps(container.get("volumeMounts"));
    assertThat(named(mounts, "auth")).containsEntry("mountPath", "/etc/pushhub-auth");
    copy.put("volumeMounts", mounts.stream().filter(m -> !"auth".equals(m.get("name"))).toList());
    return copy;
  }

  private static String env(Map<String, Object> container, String name) {
    return str(named(container.get("env"), name), "value");
  }

  private static int port(Map<String, Object> sts, String name) {
    return DeployFiles.integer(named(container(sts).get("ports"), name), "containerPort");
  }

  private static JsonObject configJson(Map<String, Object> secret) {
    byte[] json = Base64.getDecoder().decode(str(secret, "data", "config.json"));
    return new JsonObject(new String(json, StandardCharsets.UTF_8));
  }

  /** Through the hub's own loader: unknown keys, wrong types and bad values fail as at start. */
  private static HubConfig config(Map<String, Object> secret) {
    return ConfigLoader.fromJson(configJson(secret));
  }
}
