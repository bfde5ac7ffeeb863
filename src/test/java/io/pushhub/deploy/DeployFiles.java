package io.pushhub.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads the files under deploy/ (tests run from the project root) and walks their YAML trees. */
final class DeployFiles {

  static final Path DEPLOY = Path.of("deploy");
  static final Path K8S = DEPLOY.resolve("k8s");
  static final Path HELM_CHART = DEPLOY.resolve("helm/pushhub");

  private DeployFiles() {
  }

  static List<Path> yamlFiles() {
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      // Helm templates are Go templates, not YAML: HelmChartTest renders them.
      return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
        .filter(p -> !p.startsWith(HELM_CHART.resolve("templates"))).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every document of a file; SafeConstructor: plain maps, lists and scalars only. */
  static List<Object> documents(Path file) {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    List<Object> docs = new ArrayList<>();
    for (Object doc : yaml.loadAll(read(file))) {
      if (doc != null) {
        docs.add(doc);
      }
    }
    return docs;
  }

  static Map<String, Object> single(Path file) {
    List<Object> docs = documents(file);
    if (docs.size() != 1) {
      throw new AssertionError(file + ": expected one document, found " + docs.size());
    }
    return map(docs.get(0));
  }

  /** The one Kubernetes object of this kind among the files of deploy/k8s. */
  static Map<String, Object> k8s(String kind) {
    List<Map<String, Object>> found = new ArrayList<>();
    for (Path file : yamlFiles()) {
      if (!file.startsWith(K8S)) {
        continue;
      }
      for (Object doc : documents(file)) {
        if (kind.equals(map(doc).get("kind"))) {
          found.add(map(doc));
        }
      }
    }
    if (found.size() != 1) {
      throw new AssertionError("expected one " + kind + " in " + K8S + ", found " + found.size());
    }
    return found.get(0);
  }

  static List<Map<String, Object>> k8sAll(String kind) {
    List<Map<String, Object>> found = new ArrayList<>();
    for (Path file : yamlFiles()) {
      if (file.startsWith(K8S)) {
        documents(file).stream().map(DeployFiles::map).filter(d -> kind.equals(d.get("kind"))).forEach(found::add);
      }
    }
    return found;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Follows a path of map keys and list indexes: at(sts, "spec", "template", "spec", "containers", 0). */
  static Object at(Object node, Object... path) {
    Object current = node;
    for (Object step : path) {
      if (step instanceof Integer index) {
        current = list(current).get(index);
      } else {
        current = map(current).get(step);
      }
      if (current == null) {
        throw new AssertionError("nothing at " + List.of(path) + " (missing " + step + ")");
      }
    }
    return current;
  }

  static String str(Object node, Object... path) {
    return String.valueOf(at(node, path));
  }

  static int integer(Object node, Object... path) {
    Object value = at(node, path);
    return value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node) {
    if (!(node instanceof Map)) {
      throw new AssertionError("not a mapping: " + node);
    }
    return (Map<String, Object>) node;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object node) {
    if (!(node instanceof List)) {
      throw new AssertionError("not a list: " + node);
    }
    return (List<Object>) node;
  }

  static List<Map<String, Object>> maps(Object node) {
    return list(node).stream().map(DeployFiles::map).toList();
  }

  /** The element of a list of maps whose "name" is {@code name}. */
  static Map<String, Object> named(Object list, String name) {
    return maps(list).stream().filter(m -> name.equals(m.get("name"))).findFirst()
      .orElseThrow(() -> new AssertionError("no entry named " + name + " in " + list));
  }
}
