package io.pushhub;

import ch.qos.logback.classic.LoggerContext;
import io.pushhub.auth.TokenTool;
import io.pushhub.config.BuildInfo;
import io.pushhub.config.CommandLine;
import io.pushhub.config.ConfigException;
import io.pushhub.config.ConfigLoader;
import io.pushhub.config.HubConfig;
import io.pushhub.cluster.ClusterSetup;
import io.pushhub.metrics.MetricsSetup;
import io.pushhub.tracing.Tracing;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static net.logstash.logback.argument.StructuredArguments.kv;

/** Reads the configuration once, starts the node, and drains it on SIGTERM. */
public final class Main {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("token")) {
      System.exit(TokenTool.run(Arrays.copyOfRange(args, 1, args.length)));
    }
    HubConfig config;
    try {
      CommandLine flags = CommandLine.parse(args);
      if (flags.action() != CommandLine.Action.RUN) {
        System.out.print(flags.action() == CommandLine.Action.HELP ? CommandLine.HELP
          : "pushhub " + BuildInfo.version() + System.lineSeparator());
        System.exit(0);
      }
      config = ConfigLoader.load(flags, System.getenv());
    } catch (ConfigException e) {
      System.err.println("pushhub: " + e.getMessage());
      System.exit(2);
      return;
    }
    Hub hub;
    Tracing tracing = null;
    try {
      HazelcastClusterManager cluster = config.cluster().enabled()
        ? new HazelcastClusterManager(ClusterSetup.hazelcastConfig(config.cluster(), config.replay()))
        : null;
      String metrics = MetricsSetup.newRegistryName();
      VertxOptions options = MetricsSetup.vertxOptions(metrics);
      tracing = Tracing.fromConfig(config.tracing());
      VertxBuilder builder = Tracing.install(Vertx.builder().withMetrics(MetricsSetup.metricsFactory()), tracing);
      Vertx vertx = cluster == null ? builder.with(options).build() : clustered(builder, options, config.cluster(), cluster);
      hub = Hub.start(HubOptions.of(vertx, config).clustered(cluster).metrics(metrics).tracing(tracing))
        .await(60, TimeUnit.SECONDS);
    } catch (ConfigException e) {
      System.err.println("pushhub: " + e.getMessage());
      exit(2);
      return;
    } catch (Exception e) {
      // A node that did not start must not linger as a cluster member that serves nothing.
      System.err.println("pushhub: could not start: " + e.getMessage());
      log.error("start failed", e);
      exit(1);
      return;
    }
    if (config.auth().developmentMode()) {
      log.warn("development mode: no auth key configured; anyone may subscribe, and publishing and the admin API "
        + "are open to loopback clients only");
    }
    log.info("pushhub started {} {} {} {} {}", kv("version", BuildInfo.version()), kv("node", hub.nodeId()),
      kv("port", hub.port()), kv("instances", config.http().effectiveInstances()), kv("metricsPort", hub.metricsPort()));
    Tracing started = tracing;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(hub, config, started), "pushhub-shutdown"));
    // Drained by an operator: leave the cluster and exit 0 as on SIGTERM (the hook does it; never
    // from an event loop, which the hook's close needs).
    hub.afterAdminDrain(() -> new Thread(() -> System.exit(0), "pushhub-drained").start());
  }

  /**
   * SIGTERM, or the end of an admin drain: drain over {@code http.drainSeconds}, leave the cluster, close, and exit 0 whatever the
   * signal's own status, all within {@code drainSeconds + 5 s} (docs/configuration.md): each step gets what is
   * left of that budget, and leaving the cluster (a graceful Hazelcast shutdown that hands this
   * member's partitions over) gets all the rest.
   */
  private static void shutdown(Hub hub, HubConfig config, Tracing tracing) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.http().drainSeconds())
      + TimeUnit.MILLISECONDS.toNanos(4_500);
    log.info("draining {} {}", kv("node", hub.nodeId()), kv("streams", hub.openStreams()));
    try {
      hub.drain().await(Math.min(left(deadline) - 3_000, TimeUnit.SECONDS.toMillis(config.http().drainSeconds() + 1L)),
        TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("drain did not finish in time {}", kv("streams", hub.openStreams()));
    }
    try {
      hub.leave().await(Math.min(1_000, left(deadline)), TimeUnit.MILLISECONDS);
      hub.vertx().close().await(left(deadline), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("close did not finish in time");
    }
    if (tracing != null) {
      tracing.close(left(deadline));
    }
    log.info("stopped {}", kv("node", hub.nodeId()));
    exit(0);
  }

  private static long left(long deadlineNanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  private static Vertx clustered(VertxBuilder builder, VertxOptions options, HubConfig.Cluster config,
                                 HazelcastClusterManager cluster) throws Exception {
    EventBusOptions bus = new EventBusOptions().setPort(config.port());
    if (config.host() != null) {
      bus.setHost(config.host());
    }
    if (config.publicHost() != null) {
      bus.setClusterPublicHost(config.publicHost());
    }
    return builder.with(options.setEventBusOptions(bus)).withClusterManager(cluster).buildClustered()
      .await(60, TimeUnit.SECONDS);
  }

  /** Flushes the logs, then halts: from a shutdown hook, {@code System.exit} would wait for itself. */
  private static void exit(int status) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.stop();
    }
    Runtime.getRuntime().halt(status);
  }
}
