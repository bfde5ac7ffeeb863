package io.pushhub.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/clients.md gives the client's real Maven coordinates, and names each dependency the client
 * module declares: a service pastes the snippet as it is.
 */
class ClientArtifactDocTest {

  private static final Pattern SNIPPET = Pattern.compile("<dependency>\\s*<groupId>([^<]+)</groupId>\\s*"
    + "<artifactId>([^<]+)</artifactId>\\s*<version>([^<]+)</version>\\s*</dependency>");
  private static final Pattern PARENT = Pattern.compile("<artifactId>pushhub-parent</artifactId>\\s*<version>([^<]+)</version>");
  private static final Pattern ARTIFACT = Pattern.compile("</parent>\\s*<artifactId>([^<]+)</artifactId>");
  private static final Pattern DEPENDENCY = Pattern.compile("<dependency>\\s*<groupId>[^<]+</groupId>\\s*<artifactId>([^<]+)</artifactId>");

  @Test
  void dependencySnippetMatchesTheClientModule() throws IOException {
    String doc = Files.readString(Path.of("docs", "clients.md"));
    String clientPom = Files.readString(Path.of("client", "pom.xml"));
    Matcher snippet = SNIPPET.matcher(doc);
    assertThat(snippet.find()).as("a <dependency> snippet in docs/clients.md").isTrue();
    Matcher version = PARENT.matcher(Files.readString(Path.of("pom.xml")));
    Matcher artifact = ARTIFACT.matcher(clientPom);
    assertThat(version.find()).isTrue();
    assertThat(artifact.find()).isTrue();

    assertThat(snippet.group(1)).isEqualTo("io.pushhub");
    assertThat(snippet.group(2)).isEqualTo(artifact.group(1));
    assertThat(snippet.group(3)).isEqualTo(version.group(1));
    List<String> declared = DEPENDENCY.matcher(clientPom).results().map(found -> found.group(1)).toList();
    assertThat(declared).isNotEmpty();
    for (String dependency : declared) {
      assertThat(doc).as("docs/clients.md names what the client brings").contains("`" + dependency + "`");
    }
  }
}
