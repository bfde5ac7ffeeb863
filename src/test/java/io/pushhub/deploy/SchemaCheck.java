package io.pushhub.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs deploy/schema-check/check.js: Kubernetes objects against the API's JSON schemas
 * (kubernetes-models from npm). Node and the npm packages come from scripts/test.
 */
final class SchemaCheck {

  static final Path DIR = DeployFiles.DEPLOY.resolve("schema-check");
  private static final String INSTALL = "run scripts/test, which installs Node.js and the npm packages of " + DIR
    + " (or: npm ci --prefix " + DIR + ")";

  record Result(int exit, String output) {
  }

  private SchemaCheck() {
  }

  static Result run(List<Path> files) throws IOException, InterruptedException {
    if (!Files.isDirectory(DIR.resolve("node_modules/kubernetes-models"))) {
      throw new AssertionError(DIR + "/node_modules is missing: " + INSTALL);
    }
    List<String> command = new ArrayList<>(List.of(node(), DIR.resolve("check.js").toString()));
    files.forEach(f -> command.add(f.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the schema check did not finish: " + command);
    }
    return new Result(process.exitValue(), output);
  }

  private static String node() {
    Stream<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
      .filter(d -> !d.isEmpty()).map(d -> Path.of(d, "node"));
    return Stream.concat(onPath, Stream.of(Path.of("/usr/bin/node"), Path.of("/usr/local/bin/node")))
      .filter(Files::isExecutable).findFirst().map(Path::toString)
      .orElseThrow(() -> new AssertionError("node is not installed: " + INSTALL));
  }
}
