package io.pushhub.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs promtool (Debian package "prometheus", installed by scripts/test). */
final class Promtool {

  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  record Result(int exit, String output) {
  }

  private Promtool() {
  }

  /** Runs promtool with {@code stdin} (or none); stdout and stderr together. */
  static Result run(String stdin, String... args) throws IOException, InterruptedException {
    assertThat(PROMTOOL).as("promtool missing: apt-get install prometheus (scripts/test does)").isExecutable();
    List<String> command = new ArrayList<>();
    command.add(PROMTOOL.toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (OutputStream in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream from = process.getInputStream()) {
      from.transferTo(out);
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("promtool did not finish: " + command);
    }
    return new Result(process.exitValue(), out.toString(StandardCharsets.UTF_8));
  }
}
