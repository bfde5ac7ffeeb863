package io.pushhub.docs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link in the project's Markdown (README.md, docs/, examples/, perf/) names a file
 * that exists, and an {@code #anchor} into a Markdown file names one of its headings.
 */
class LinksTest {

  /** {@code [text](target)} and {@code ![alt](target)}; a title after the target is allowed. */
  private static final Pattern INLINE = Pattern.compile("\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  /** {@code [label]: target} reference definitions. */
  private static final Pattern REFERENCE = Pattern.compile("(?m)^\\s{0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
  private static final Pattern FENCE = Pattern.compile("(?m)^\\s{0,3}(```|~~~)");
  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*#*\\s*$");
  private static final Pattern HTML_ID = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");

  @Test
  void everyRelativeLinkResolves() throws IOException {
    List<String> broken = new ArrayList<>();
    Path root = Path.of("").toAbsolutePath();
    List<Path> documents = documents(root);
    assertThat(documents).contains(root.resolve("README.md"), root.resolve("docs/protocol.md"));
    for (Path document : documents) {
      broken.addAll(brokenLinks(root, document));
    }
    assertThat(broken).as("broken relative links").isEmpty();
  }

  @Test
  void aMissingFileOrHeadingOrALinkOutOfTheRepositoryIsReported(@TempDir Path dir) throws IOException {
    Path root = Files.createDirectories(dir.resolve("repo"));
    Files.createDirectories(root.resolve("docs"));
    Files.writeString(dir.resolve("outside.md"), "# Outside\n");
    Files.writeString(root.resolve("other.md"), "# Other\n\n## Some heading, with `code`\n");
    Files.writeString(root.resolve("docs/page.md"), """
        # Page
        [ok](../other.md) [ok too](../other.md#some-heading-with-code) [here](#page)
        [gone](missing.md) [no heading](../other.md#nothing) [no local heading](#nowhere)
        [outside](../../outside.md)
        [web](https://example.com/x.md) [mail](mailto:a@b.c)
        ```
        [in code](ignored.md)
        ```
        [ref]: also-missing.txt
        """);
    assertThat(brokenLinks(root, root.resolve("docs/page.md"))).hasSize(5)
      .anyMatch(b -> b.contains("missing.md")).anyMatch(b -> b.contains("#nothing"))
      .anyMatch(b -> b.contains("#nowhere")).anyMatch(b -> b.contains("also-missing.txt"))
      .anyMatch(b -> b.contains("outside.md (outside the repository)"));
  }

  private static List<Path> documents(Path root) throws IOException {
    List<Path> documents = new ArrayList<>(List.of(root.resolve("README.md")));
    for (String dir : List.of("docs", "examples", "perf")) {
      Path folder = root.resolve(dir);
      if (Files.isDirectory(folder)) {
        try (Stream<Path> files = Files.list(folder)) {
          files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
      }
    }
    return documents;
  }

  static List<String> brokenLinks(Path root, Path document) throws IOException {
    String text = withoutCode(Files.readString(document), true);
    List<String> broken = new ArrayList<>();
    for (Pattern pattern : List.of(INLINE, REFERENCE)) {
      Matcher m = pattern.matcher(text);
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
          continue;   // https:, mailto: …: not this test's business
        }
        String problem = problem(root, document, target);
        if (problem != null) {
          broken.add(root.relativize(document) + ": " + target + " (" + problem + ")");
        }
      }
    }
    return broken;
  }

  private static String problem(Path root, Path document, String target) throws IOException {
    int hash = target.indexOf('#');
    String file = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    Path resolved = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
    if (!resolved.startsWith(root)) {
      return "outside the repository";
    }
    if (!Files.exists(resolved)) {
      return "no such file";
    }
    if (anchor != null && resolved.toString().endsWith(".md") && !anchors(resolved).contains(anchor)) {
      return "no such heading";
    }
    return null;
  }

  /** The anchors a Markdown renderer gives the headings of {@code file} (GitHub's rules). */
  static Set<String> anchors(Path file) throws IOException {
    String text = withoutCode(Files.readString(file), false);
    Set<String> anchors = new HashSet<>();
    Matcher m = HEADING.matcher(text);
    while (m.find()) {
      String slug = slug(m.group(1));
      String unique = slug;
      for (int n = 1; !anchors.add(unique); n++) {
        unique = slug + "-" + n;
      }
    }
    Matcher ids = HTML_ID.matcher(text);
    while (ids.find()) {
      anchors.add(ids.group(1));
    }
    return anchors;
  }

  static String slug(String heading) {
    String plain = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replaceAll("<[^>]+>", "");
    return plain.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\s_-]", "").replace(' ', '-');
  }

  /** The text without fenced code blocks and, if {@code spans}, inline code: brackets there are not links. */
  private static String withoutCode(String text, boolean spans) {
    StringBuilder out = new StringBuilder();
    boolean fenced = false;
    for (String line : text.split("\n", -1)) {
      if (FENCE.matcher(line).lookingAt()) {
        fenced = !fenced;
        out.append('\n');
        continue;
      }
      out.append(fenced ? "" : spans ? line.replaceAll("`[^`]*`", "``") : line).append('\n');
    }
    return out.toString();
  }
}
