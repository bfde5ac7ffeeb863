package io.pushhub.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The hub's command-line flags (docs/configuration.md). Flags set config keys and win over the environment and
 * the file; {@code --help} and {@code --version} ask for text instead of a node.
 *
 * @param configFiles   every {@code --config}, in order: a later file's keys override the earlier ones'
 * @param port          {@code --port}: {@code http.port}, or null
 * @param cluster       {@code --cluster} or {@code --cluster-config}: {@code cluster.enabled}
 * @param clusterConfig {@code --cluster-config}: {@code cluster.config}, or null
 */
public record CommandLine(Action action, List<String> configFiles, Integer port, boolean cluster, String clusterConfig) {

  public enum Action { RUN, HELP, VERSION }

  static final String USAGE =
    "usage: pushhub [--config FILE]... [--port N] [--cluster] [--cluster-config FILE] | --help | --version"
      + "  (or: pushhub token --help)";

  public static final String HELP = """
    usage: pushhub [--config FILE]... [--port N] [--cluster] [--cluster-config FILE]
           pushhub token --help
           pushhub --help | --version

    Starts one node of the pushhub push hub (Server-Sent Events; clustered with --cluster).

      --config FILE          JSON config file; every key is optional; when repeated, a later
                             file's keys override the earlier ones'
      --port N               sets http.port (0 to 65535)
      --cluster              sets cluster.enabled: join the Hazelcast cluster
      --cluster-config FILE  sets cluster.config (the Hazelcast XML) and implies --cluster
      --help                 prints this text
      --version              prints the version

    Every config key can also be set by an environment variable: http.port is PUSHHUB_HTTP_PORT,
    publish.breaker.maxFailures is PUSHHUB_PUBLISH_BREAKER_MAX_FAILURES (cluster.port is
    PUSHHUB_CLUSTER_BUS_PORT). Flags win over the environment, which wins over the file, which
    wins over the defaults. Unknown flags, keys or PUSHHUB_* variables and invalid values stop
    the hub with one line on stderr and exit code 2. The keys: docs/configuration.md.
    """;

  public static CommandLine parse(String[] args) {
    Action action = Action.RUN;
    List<String> files = new ArrayList<>();
    Integer port = null;
    boolean cluster = false;
    String clusterConfig = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--config" -> files.add(valueOf(args, ++i, arg));
        case "--port" -> port = parsePort(valueOf(args, ++i, arg));
        case "--cluster" -> cluster = true;
        case "--cluster-config" -> {
          clusterConfig = valueOf(args, ++i, arg);
          cluster = true;
        }
        case "--help", "-h" -> action = Action.HELP;
        case "--version" -> action = action == Action.HELP ? action : Action.VERSION;
        default -> throw new ConfigException("unknown argument '" + arg + "'; " + USAGE);
      }
    }
    return new CommandLine(action, List.copyOf(files), port, cluster, clusterConfig);
  }

  private static String valueOf(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new ConfigException(flag + " needs a value; " + USAGE);
    }
    return args[i];
  }

  private static int parsePort(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new ConfigException("--port must be a number from 0 to 65535, got '" + value + "'");
    }
  }
}
