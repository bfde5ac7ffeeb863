package io.pushhub.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A config file that is not a JSON object is reported by file, line and column, in plain words, on one line. */
class ConfigFileTest {

  @TempDir
  Path dir;

  @Test
  void aCommaTooManyIsFoundByLineAndColumn() throws Exception {
    assertThat(error("{\n  \"http\": {\"port\": 1},\n}")).isEqualTo(file() + " is not valid JSON: line 3, column 1: "
      + "expected a key in double quotes (a comma too many, or a key without quotes?), found '}'");
  }

  @Test
  void aMissingCommaIsNamed() throws Exception {
    assertThat(error("{\"http\": {\"port\": 1}\n \"sse\": {}}")).isEqualTo(file() + " is not valid JSON: line 2, "
      + "column 2: expected ',' or '}' (a comma missing between two entries?), found '\"'");
  }

  @Test
  void aBadValueIsNamed() throws Exception {
    assertThat(error("{\"http\": {\"host\": 'localhost'}}")).isEqualTo(file() + " is not valid JSON: line 1, "
      + "column 19: expected a value: \"text\" in double quotes, a number, true, false, null, {…} or […], found \"'\"");
    assertThat(error("{\"cluster\": {\"enabled\": yes}}")).startsWith(file() + " is not valid JSON: line 1, column ")
      .contains("expected a value").endsWith("found 'yes'");
  }

  @Test
  void aFileThatEndsTooSoonSaysSo() throws Exception {
    assertThat(error("{\"http\": {\"port\": 1}")).isEqualTo(file() + " is not valid JSON: line 1, column 21: "
      + "the file ends before the JSON does (a '}', ']' or '\"' missing?)");
  }

  @Test
  void emptyFilesAndOtherValuesThanAnObject() throws Exception {
    assertThat(error("  \n")).isEqualTo(file() + " is empty: write {} for no settings");
    assertThat(error("[{\"http\": {}}]")).isEqualTo(file() + " must hold one JSON object ({...}), not a list");
    assertThat(error("8080")).isEqualTo(file() + " must hold one JSON object ({...}), not a single value");
  }

  @Test
  void noParserInternalsLeak() throws Exception {
    for (String text : new String[]{"{not json", "{\"a\" 1}", "{\"a\": 01}", "{\"a\": \"x\ny\"}", "{} x", "{\"a\":: 1}"}) {
      assertThat(error(text)).as(text).contains("line 1, column ").doesNotContain("\n")
        .doesNotContainIgnoringCase("jackson").doesNotContain("Source:").doesNotContain("code ")
        .doesNotContain("REDACTED");
    }
  }

  @Test
  void commentsAreAccepted() throws Exception {
    Path path = Files.writeString(dir.resolve("hub.json"), "// the port\n{\"http\": {\"port\": 1}} /* end */");
    assertThat(ConfigFile.read(path.toString()).getJsonObject("http").getInteger("port")).isEqualTo(1);
  }

  private String file() {
    return "config file " + dir.resolve("hub.json");
  }

  private String error(String text) throws Exception {
    Path path = Files.writeString(dir.resolve("hub.json"), text);
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> ConfigFile.read(path.toString()));
    assertThat(thrown).isInstanceOf(ConfigException.class);
    return thrown.getMessage();
  }
}
