package io.pushhub.deploy;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.XmlConfigBuilder;
import io.pushhub.config.ConfigException;
import io.pushhub.config.ConfigLoader;
import io.pushhub.config.HubConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.pushhub.deploy.DeployFiles.K8S;
import static io.pushhub.deploy.DeployFiles.at;
import static io.pushhub.deploy.DeployFiles.integer;
import static io.pushhub.deploy.DeployFiles.k8s;
import static io.pushhub.deploy.DeployFiles.list;
import static io.pushhub.deploy.DeployFiles.map;
import static io.pushhub.deploy.DeployFiles.maps;
import static io.pushhub.deploy.DeployFiles.named;
import static io.pushhub.deploy.DeployFiles.read;
import static io.pushhub.deploy.DeployFiles.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The deployment files under deploy/ parse, and agree with each other and with the hub: drain
 * time against grace periods, probe paths, ports, Hazelcast discovery and its RBAC, the HPA's
 * metric. No Kubernetes cluster is involved: these are the facts that can be checked without one.
 */
class DeployFilesTest {

  /** Main's shutdown after the drain: leave the cluster (1 s), close Vert.x (2 s), slack (2 s): SPEC §1's "+ 5 s". */
  private static final int SHUTDOWN_AFTER_DRAIN_SECONDS = 5;

  @Test
  void everyYamlFileParses() {
    List<Path> files = DeployFiles.yamlFiles();
    assertThat(files).extracting(Path::toString).contains("deploy/k8s/statefulset.yaml",
      "deploy/k8s/kustomization.yaml", "deploy/prometheus/alerts.yml", "deploy/prometheus/adapter-rules.yaml");
    for (Path file : files) {
      assertThat(DeployFiles.documents(file)).as(file.toString()).isNotEmpty().allSatisfy(doc -> map(doc));
    }
  }

  @Test
  void kustomizationListsEveryManifestAndOnlyExistingOnes() throws Exception {
    Map<String, Object> kustomization = DeployFiles.single(K8S.resolve("kustomization.yaml"));
    List<String> resources = list(kustomization.get("resources")).stream().map(String::valueOf).toList();
    Set<String> manifests;
    try (var files = Files.list(K8S)) {
      manifests = files.map(p -> p.getFileName().toString())
        .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).collect(Collectors.toSet());
    }
    assertThat(resources).containsExactlyInAnyOrderElementsOf(manifests);
    assertThat(str(kustomization, "namespace")).isEqualTo(str(k8s("Namespace"), "metadata", "name"));
  }

  @Test
  void hubConfigInTheConfigMapIsValidAndClustered() {
    HubConfig config = hubConfig();
    assertThat(config.cluster().enabled()).isTrue();
    // The image keeps the repository's cluster-config/ under /app (deploy/Dockerfile).
    assertThat(config.cluster().config()).isEqualTo("/app/cluster-config/hazelcast-kubernetes.xml");
    assertThat(Path.of("cluster-config/hazelcast-kubernetes.xml")).isRegularFile();
    assertThat(read(Path.of("deploy/Dockerfile"))).contains("COPY --chown=root:root cluster-config ./cluster-config")
      .contains("WORKDIR /app");
  }

  @Test
  void keysComeFromARequiredSecretAndTheHubRefusesToRunOpenWithoutThem() {
    // The ConfigMap alone (no key, a proxy in front) does not start: development mode is refused.
    assertThatThrownBy(() -> ConfigLoader.fromJson(configMapJson())).isInstanceOf(ConfigException.class);
    assertThat(configMapJson().getJsonObject("auth").containsKey("hs256Secret")).isFalse();
    assertThat(configMapJson().getJsonObject("auth").containsKey("publicKeys")).isFalse();
    assertThat(hubConfig().http().trustedProxies()).isNotEmpty();
    Map<String, Object> secret = named(at(k8s("StatefulSet"), "spec", "template", "spec", "volumes"), "auth");
    assertThat(str(secret, "secret", "secretName")).isEqualTo("pushhub-auth");
    assertThat(at(secret, "secret", "optional")).isEqualTo(false);
    assertThat(list(container().get("args"))).containsExactly("--config", "/etc/pushhub/config.json",
      "--config", "/etc/pushhub-auth/auth.json");
    assertThat(str(named(container().get("volumeMounts"), "auth"), "mountPath")).isEqualTo("/etc/pushhub-auth");
  }

  @Test
  void gracePeriodCoversPreStopDrainAndShutdown() {
    Map<String, Object> sts = k8s("StatefulSet");
    int drain = hubConfig().http().drainSeconds();
    int grace = integer(sts, "spec", "template", "spec", "terminationGracePeriodSeconds");
    List<Object> preStop = list(at(container(), "lifecycle", "preStop", "exec", "command"));
    assertThat(preStop).hasSize(2).first().isEqualTo("/bin/sleep");
    int sleep = Integer.parseInt(preStop.get(1).toString());
    assertThat(sleep).isBetween(1, 15);
    // The kubelet's grace period counts the preStop hook too; SIGTERM comes after it.
    assertThat(grace).isGreaterThan(drain).isGreaterThan(sleep + drain + SHUTDOWN_AFTER_DRAIN_SECONDS);
  }

  @Test
  void probesUseTheHealthRoutesOnTheHttpPort() {
    Map<String, Object> c = container();
    assertThat(str(c, "readinessProbe", "httpGet", "path")).isEqualTo("/health/ready");
    assertThat(str(c, "livenessProbe", "httpGet", "path")).isEqualTo("/health/live");
    assertThat(str(c, "startupProbe", "httpGet", "path")).isEqualTo("/health/live");
    for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
      assertThat(str(c, probe, "httpGet", "port")).isEqualTo("http");
    }
    assertThat(integer(named(c.get("ports"), "http"), "containerPort")).isEqualTo(hubConfig().http().port());
    assertThat(integer(named(c.get("ports"), "eventbus"), "containerPort")).isEqualTo(hubConfig().cluster().port());
    assertThat(map(c.get("resources"))).containsKeys("requests", "limits");
  }

  @Test
  void servicesSelectThePodsAndExposeTheRightPorts() {
    Map<String, Object> sts = k8s("StatefulSet");
    Map<String, Object> podLabels = map(at(sts, "spec", "template", "metadata", "labels"));
    assertThat(map(at(sts, "spec", "selector", "matchLabels"))).isEqualTo(podLabels);
    Map<String, Map<String, Object>> services = DeployFiles.k8sAll("Service").stream()
      .collect(Collectors.toMap(s -> str(s, "metadata", "name"), s -> s));
    assertThat(services).containsOnlyKeys("pushhub", "pushhub-hazelcast");
    for (Map<String, Object> service : services.values()) {
      assertThat(podLabels).containsAllEntriesOf(map(at(service, "spec", "selector")));
    }
    assertThat(str(named(at(services.get("pushhub"), "spec", "ports"), "http"), "targetPort")).isEqualTo("http");

    Map<String, Object> headless = services.get("pushhub-hazelcast");
    assertThat(str(headless, "spec", "clusterIP")).isEqualTo("None");
    // Nodes are ready only once joined: discovery must see them before that.
    assertThat(at(headless, "spec", "publishNotReadyAddresses")).isEqualTo(true);
    // Hazelcast 5.3 takes the member port from the Service port named "hazelcast".
    Map<String, Object> port = named(at(headless, "spec", "ports"), "hazelcast");
    assertThat(integer(port, "port")).isEqualTo(5701).isEqualTo(Integer.parseInt(env().get("PUSHHUB_CLUSTER_PORT")));
    assertThat(integer(named(container().get("ports"), "hazelcast"), "containerPort")).isEqualTo(5701);
    assertThat(str(sts, "spec", "serviceName")).isEqualTo("pushhub-hazelcast");
    assertThat(map(at(k8s("PodDisruptionBudget"), "spec", "selector", "matchLabels"))).isEqualTo(podLabels);
  }

  @Test
  void hazelcastDiscoversMembersThroughTheHeadlessService() {
    Map<String, String> env = env();
    assertThat(env.get("PUSHHUB_KUBERNETES_SERVICE")).isEqualTo("pushhub-hazelcast");
    Map<String, Object> namespaceVar = named(at(container(), "env"), "PUSHHUB_KUBERNETES_NAMESPACE");
    assertThat(str(namespaceVar, "valueFrom", "fieldRef", "fieldPath")).isEqualTo("metadata.namespace");

    // The XML the image uses, with the placeholders the StatefulSet's environment fills in.
    Properties properties = new Properties();
    properties.setProperty("pushhub.cluster.name", env.get("PUSHHUB_CLUSTER_NAME"));
    properties.setProperty("pushhub.cluster.port", env.get("PUSHHUB_CLUSTER_PORT"));
    properties.setProperty("pushhub.kubernetes.service", env.get("PUSHHUB_KUBERNETES_SERVICE"));
    properties.setProperty("pushhub.kubernetes.namespace", "pushhub");
    byte[] xml = read(Path.of("cluster-config/hazelcast-kubernetes.xml")).getBytes(StandardCharsets.UTF_8);
    Config config = new XmlConfigBuilder(new ByteArrayInputStream(xml)).setProperties(properties).build();
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-name")).isEqualTo("pushhub-hazelcast");
    assertThat(join.getKubernetesConfig().getProperty("namespace")).isEqualTo("pushhub");
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5701);
  }

  @Test
  void rbacGrantsWhatHazelcastDiscoveryReads() {
    Map<String, Object> role = k8s("Role");
    // Hazelcast 5.3.8's KubernetesClient reads endpointslices (or endpoints on older clusters) and pods.
    assertThat(grants(role, "", "endpoints")).contains("get", "list");
    assertThat(grants(role, "", "pods")).contains("get", "list");
    assertThat(grants(role, "", "services")).contains("get", "list");
    assertThat(grants(role, "discovery.k8s.io", "endpointslices")).contains("get", "list");
    // Read-only: nothing that changes the cluster.
    for (Map<String, Object> rule : maps(role.get("rules"))) {
      assertThat(list(rule.get("verbs"))).allMatch(v -> Set.of("get", "list", "watch").contains(v));
    }

    Map<String, Object> binding = k8s("RoleBinding");
    String account = str(k8s("ServiceAccount"), "metadata", "name");
    assertThat(str(binding, "roleRef", "kind")).isEqualTo("Role");
    assertThat(str(binding, "roleRef", "name")).isEqualTo(str(role, "metadata", "name"));
    Map<String, Object> subject = maps(binding.get("subjects")).get(0);
    assertThat(subject).containsEntry("kind", "ServiceAccount").containsEntry("name", account);
    assertThat(str(k8s("StatefulSet"), "spec", "template", "spec", "serviceAccountName")).isEqualTo(account);
  }

  @Test
  void networkPolicyOpensHttpAndKeepsTheClusterPortsAmongMembers() {
    Map<String, Object> policy = k8s("NetworkPolicy");
    Map<String, Object> podLabels = map(at(k8s("StatefulSet"), "spec", "template", "metadata", "labels"));
    assertThat(map(at(policy, "spec", "podSelector", "matchLabels"))).isEqualTo(podLabels);
    assertThat(list(at(policy, "spec", "policyTypes"))).containsExactly("Ingress");
    Map<String, Object> open = null;
    Map<String, Object> members = null;
    for (Map<String, Object> rule : maps(at(policy, "spec", "ingress"))) {
      List<Object> ports = maps(rule.get("ports")).stream().map(p -> p.get("port")).map(Object.class::cast).toList();
      if (ports.contains("http")) {
        open = rule;
        assertThat(ports).containsExactly("http");
      } else {
        members = rule;
        assertThat(ports).containsExactlyInAnyOrder("hazelcast", "eventbus");
      }
    }
    assertThat(open).as("a rule for http").isNotNull().doesNotContainKey("from");
    assertThat(members).as("a rule for the cluster ports").isNotNull();
    // Hub pods reach each other; every container port has a rule.
    assertThat(maps(members.get("from")).stream().map(f -> f.get("podSelector")).toList())
      .contains(Map.of("matchLabels", podLabels));
    assertThat(maps(container().get("ports")).stream().map(p -> p.get("name")).toList())
      .containsExactlyInAnyOrder("http", "hazelcast", "eventbus");
  }

  @Test
  void hpaScalesTheStatefulSetOnAMetricTheHubExports() {
    Map<String, Object> hpa = k8s("HorizontalPodAutoscaler");
    assertThat(str(hpa, "apiVersion")).isEqualTo("autoscaling/v2");
    assertThat(str(hpa, "spec", "scaleTargetRef", "kind")).isEqualTo("StatefulSet");
    assertThat(str(hpa, "spec", "scaleTargetRef", "name")).isEqualTo(str(k8s("StatefulSet"), "metadata", "name"));
    Map<String, Object> metric = maps(at(hpa, "spec", "metrics")).get(0);
    assertThat(str(metric, "type")).isEqualTo("Pods");
    String name = str(metric, "pods", "metric", "name");
    assertThat(name).isEqualTo("pushhub_connections");
    // The name the adapter serves it under, from a series the hub really exports, and a gauge.
    assertThat(ExportedMetrics.seriesNames()).contains(name);
    assertThat(ExportedMetrics.text()).contains("# TYPE pushhub_connections gauge");
    Map<String, Object> rule = maps(DeployFiles.single(Path.of("deploy/prometheus/adapter-rules.yaml")).get("rules")).get(0);
    assertThat(str(rule, "name", "as")).isEqualTo(name);
    assertThat(str(rule, "seriesQuery")).startsWith(name + "{");
    // Target per pod below the per-node cap, so a lost node's streams fit on the others.
    int target = Integer.parseInt(str(metric, "pods", "target", "averageValue"));
    assertThat(target).isPositive().isLessThan(hubConfig().limits().maxConnections());
    assertThat(integer(hpa, "spec", "minReplicas")).isGreaterThanOrEqualTo(3);
  }

  @Test
  void systemdUnitStopsByDrainingWithinItsTimeout() {
    Map<String, String> unit = systemdKeys(read(Path.of("deploy/systemd/pushhub.service")));
    assertThat(unit).containsEntry("KillSignal", "SIGTERM").containsEntry("Restart", "on-failure")
      .containsEntry("NoNewPrivileges", "yes").containsEntry("ProtectSystem", "strict")
      .containsEntry("DynamicUser", "yes").containsEntry("RestartPreventExitStatus", "2");
    assertThat(Long.parseLong(unit.get("LimitNOFILE"))).isGreaterThan(hubConfig().limits().maxConnections());
    // The unit's timeout must outlast the same drain the Kubernetes config asks for.
    assertThat(Integer.parseInt(unit.get("TimeoutStopSec")))
      .isGreaterThan(hubConfig().http().drainSeconds() + SHUTDOWN_AFTER_DRAIN_SECONDS);
    assertThat(unit.get("ExecStart")).contains("-XX:+ExitOnOutOfMemoryError", "-jar /opt/pushhub/pushhub.jar");
    assertThat(unit).doesNotContainKey("MemoryDenyWriteExecute"); // would break the JIT
  }

  @Test
  void dockerfileBuildsInTwoStagesAndRunsAsNonRoot() {
    String dockerfile = read(Path.of("deploy/Dockerfile"));
    assertThat(dockerfile).contains("FROM maven:3.9", "-eclipse-temurin-17", " AS build", "FROM eclipse-temurin:17",
      "-XX:+ExitOnOutOfMemoryError", "-XX:MaxRAMPercentage=", "EXPOSE 8080", "COPY --from=build");
    Matcher user = Pattern.compile("(?m)^USER (\\S+)").matcher(dockerfile);
    assertThat(user.find()).isTrue();
    assertThat(user.group(1)).doesNotStartWith("0").isNotEqualTo("root");
    assertThat(user.group(1)).startsWith(str(k8s("StatefulSet"), "spec", "template", "spec", "securityContext",
      "runAsUser") + ":");
    assertThat(Path.of(".dockerignore")).isRegularFile();
  }

  @Test
  void dockerImageIsLabelledWithTheBuildsVersionOnPinnedBases() {
    String dockerfile = read(Path.of("deploy/Dockerfile"));
    Matcher from = Pattern.compile("(?m)^FROM (\\S+)").matcher(dockerfile);
    int bases = 0;
    while (from.find()) {
      bases++;
      // An exact tag (17.0.16_8-jre-noble, 3.9.11-...) or a digest; never a moving "17-jre" or "latest".
      assertThat(from.group(1)).as("base image").matches("[a-z0-9./-]+:(\\d+\\.\\d+\\.\\d+[\\w.-]*)(@sha256:[0-9a-f]{64})?"
        + "|[a-z0-9./-]+(:[\\w.-]+)?@sha256:[0-9a-f]{64}");
    }
    assertThat(bases).isEqualTo(2);
    Matcher version = Pattern.compile("(?m)^ARG VERSION=(\\S+)$").matcher(dockerfile);
    assertThat(version.find()).isTrue();
    Matcher pomVersion = Pattern.compile("<artifactId>pushhub-parent</artifactId>\\s*<version>([^<]+)</version>")
      .matcher(read(Path.of("pom.xml")));
    assertThat(pomVersion.find()).isTrue();
    assertThat(version.group(1)).as("the Dockerfile's default VERSION follows pom.xml").isEqualTo(pomVersion.group(1));
    assertThat(dockerfile).contains("org.opencontainers.image.version=\"${VERSION}\"",
      "org.opencontainers.image.revision=\"${REVISION}\"", "org.opencontainers.image.licenses=\"Apache-2.0\"",
      "COPY --chown=root:root LICENSE NOTICE ./");
    assertThat(read(Path.of(".dockerignore"))).contains("!LICENSE", "!NOTICE");
  }

  @Test
  void jarCarriesNativeEpollForBothArchitectures() {
    String pom = read(Path.of("server", "pom.xml"));
    assertThat(pom).contains("<classifier>linux-x86_64</classifier>", "<classifier>linux-aarch_64</classifier>");
  }

  @Test
  void imageBuildsEveryMavenModule() {
    // The build stage resolves the whole reactor: a module missing from the context breaks `docker build`.
    List<String> modules = Pattern.compile("<module>([^<]+)</module>").matcher(read(Path.of("pom.xml")))
      .results().map(module -> module.group(1)).toList();
    assertThat(modules).contains("client", "server");
    String dockerfile = read(Path.of("deploy/Dockerfile"));
    String ignored = read(Path.of(".dockerignore"));
    for (String module : modules) {
      assertThat(dockerfile).contains("COPY " + module + "/pom.xml ./" + module + "/");
      assertThat(ignored).contains("!" + module + "/pom.xml");
      if (Files.isDirectory(Path.of(module, "src", "main"))) {
        assertThat(dockerfile).contains("COPY " + module + "/src ./" + module + "/src");
        assertThat(ignored).contains("!" + module + "/src/main/");
      }
    }
  }

  // --- helpers

  private static HubConfig hubConfig() {
    // The hub's own loader: unknown keys, wrong types and bad values fail here as they would at start.
    // The Secret the operator creates adds the keys (a second --config file, merged over the first).
    return ConfigLoader.fromJson(configMapJson().mergeIn(new JsonObject()
      .put("auth", new JsonObject().put("hs256Secret", "operator-secret")), true));
  }

  private static JsonObject configMapJson() {
    return new JsonObject(str(k8s("ConfigMap"), "data", "config.json"));
  }

  private static Map<String, Object> container() {
    return named(at(k8s("StatefulSet"), "spec", "template", "spec", "containers"), "pushhub");
  }

  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    for (Map<String, Object> var : maps(at(container(), "env"))) {
      if (var.containsKey("value")) {
        env.put(String.valueOf(var.get("name")), String.valueOf(var.get("value")));
      }
    }
    return env;
  }

  private static List<Object> grants(Map<String, Object> role, String apiGroup, String resource) {
    return maps(role.get("rules")).stream()
      .filter(r -> list(r.get("apiGroups")).contains(apiGroup) && list(r.get("resources")).contains(resource))
      .flatMap(r -> list(r.get("verbs")).stream()).toList();
  }

  /** Key=value lines of a unit file, continuation lines joined; a later key wins. */
  private static Map<String, String> systemdKeys(String text) {
    Map<String, String> keys = new LinkedHashMap<>();
    String joined = text.replace("\\\n", " ");
    for (String line : joined.split("\n")) {
      String trimmed = line.strip();
      int eq = trimmed.indexOf('=');
      if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("[") || eq < 0) {
        continue;
      }
      keys.put(trimmed.substring(0, eq), trimmed.substring(eq + 1).replaceAll("\\s+", " "));
    }
    return keys;
  }
}
