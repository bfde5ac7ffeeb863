package io.pushhub.support;

import io.pushhub.Hub;
import io.pushhub.HubOptions;
import io.pushhub.cluster.ClusterSetup;
import io.pushhub.config.ConfigLoader;
import io.pushhub.config.HubConfig;
import io.pushhub.tracing.Tracing;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** Hub nodes clustered over Hazelcast inside this JVM, on a cluster name and member ports of their own. */
public final class InJvmCluster {

  public record Node(Vertx vertx, HazelcastClusterManager manager, Hub hub) {
  }

  private InJvmCluster() {
  }

  /**
   * The config of such nodes: clustering on with cluster-config/hazelcast.xml, given a name and a
   * port range of its own (written into {@code dir}), one instance on any free port, then {@code overrides}.
   */
  public static HubConfig config(Path dir, JsonObject overrides) throws IOException {
    int port = 30_000 + ThreadLocalRandom.current().nextInt(0, 500) * 20;
    Path xml = Files.writeString(dir.resolve("hz.xml"), Files.readString(Path.of("cluster-config/hazelcast.xml"))
      .replace("${pushhub.cluster.name}", "injvm-" + port).replace("${pushhub.cluster.port}", Integer.toString(port))
      .replace("${pushhub.cluster.members}", "127.0.0.1"));
    return ConfigLoader.fromJson(new JsonObject()
      .put("http", new JsonObject().put("port", 0).put("instances", 1))
      .put("cluster", new JsonObject().put("enabled", true).put("config", xml.toString()))
      .mergeIn(overrides, true));
  }

  /** Joins a new node to the others of {@code config}; {@code tracing} null: tracing off. */
  public static Node start(HubConfig config, Tracing tracing) {
    HazelcastClusterManager manager = new HazelcastClusterManager(ClusterSetup.hazelcastConfig(config.cluster(),
      config.replay()));
    Vertx vertx = Await.result(Tracing.install(Vertx.builder(), tracing).withClusterManager(manager).buildClustered());
    return new Node(vertx, manager, Await.result(Hub.start(HubOptions.of(vertx, config).clustered(manager)
      .tracing(tracing))));
  }
}
