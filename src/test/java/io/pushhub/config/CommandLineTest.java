package io.pushhub.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandLineTest {

  @Test
  void flagsAreParsed() {
    CommandLine cli = CommandLine.parse(new String[]{"--config", "hub.json", "--port", "9000", "--cluster-config", "hz.xml"});
    assertThat(cli).isEqualTo(new CommandLine(CommandLine.Action.RUN, List.of("hub.json"), 9000, true, "hz.xml"));
    assertThat(CommandLine.parse(new String[0])).isEqualTo(new CommandLine(CommandLine.Action.RUN, List.of(), null, false, null));
    assertThat(CommandLine.parse(new String[]{"--config", "hub.json", "--port", "1", "--config", "auth.json"}).configFiles())
      .containsExactly("hub.json", "auth.json");
  }

  @Test
  void helpAndVersionAskForTextInsteadOfANode() {
    assertThat(CommandLine.parse(new String[]{"--help"}).action()).isEqualTo(CommandLine.Action.HELP);
    assertThat(CommandLine.parse(new String[]{"-h"}).action()).isEqualTo(CommandLine.Action.HELP);
    assertThat(CommandLine.parse(new String[]{"--version"}).action()).isEqualTo(CommandLine.Action.VERSION);
    assertThat(CommandLine.parse(new String[]{"--version", "--help"}).action()).isEqualTo(CommandLine.Action.HELP);
    assertThat(CommandLine.HELP).contains("--config FILE", "--port N", "--cluster-config FILE", "--version",
      "PUSHHUB_HTTP_PORT", "docs/configuration.md");
  }

  @Test
  void badFlagsNameThemselvesAndTheUsage() {
    assertThatThrownBy(() -> CommandLine.parse(new String[]{"--bogus"})).isInstanceOf(ConfigException.class)
      .hasMessageStartingWith("unknown argument '--bogus'; usage: pushhub").hasMessageContaining("--help");
    assertThatThrownBy(() -> CommandLine.parse(new String[]{"--config"})).hasMessageStartingWith("--config needs a value");
    assertThatThrownBy(() -> CommandLine.parse(new String[]{"--port", "x"}))
      .hasMessage("--port must be a number from 0 to 65535, got 'x'");
  }

  @Test
  void theVersionComesFromTheBuild() {
    assertThat(BuildInfo.version()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }
}
