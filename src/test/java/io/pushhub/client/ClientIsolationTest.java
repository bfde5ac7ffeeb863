package io.pushhub.client;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The client jar holds only io.pushhub.client: it must not reach into the server's packages. */
class ClientIsolationTest {

  @Test
  void clientSourcesUseNoServerPackage() throws IOException {
    List<String> offending;
    try (Stream<Path> files = Files.list(Path.of("src/main/java/io/pushhub/client"))) {
      offending = files.flatMap(file -> {
        try {
          return Files.readAllLines(file).stream().filter(line -> line.startsWith("import")
              && (line.contains("io.pushhub.") && !line.contains("io.pushhub.client.")))
            .map(line -> file.getFileName() + ": " + line);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }).toList();
    }
    assertThat(offending).isEmpty();
  }
}
