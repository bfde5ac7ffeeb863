package io.pushhub.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.RingbufferConfig;
import com.hazelcast.config.XmlConfigBuilder;
import io.pushhub.config.ConfigException;
import io.pushhub.config.HubConfig;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;

/**
 * Builds the Hazelcast configuration: the user's XML supplies network, join and cluster name;
 * the hub adds its own data structures here, in code, so that a user's file never has to name
 * them (and never names a class of the hub's).
 */
public final class ClusterSetup {

  /** Ring per topic: the replay log. */
  public static final String RING_PREFIX = "pushhub.ring.";
  /** Per topic: the epoch of its ring. Colocated with the ring (see {@link HazelcastReplayStore}). */
  public static final String EPOCHS = "pushhub.epochs";
  /** Per topic: the first ring index still visible after a purge. Colocated with the ring. */
  public static final String PURGED = "pushhub.purged";
  /** Idempotency keys, expiring after {@code replay.maxAgeSeconds}. */
  public static final String KEYS = "pushhub.keys";
  /** Hub nodes, by Vert.x node id: what {@code /admin/cluster} lists; publishers never appear here. */
  public static final String NODES = "pushhub.nodes";

  /** Placeholders the shipped XML files use, with the environment variables that set them. */
  private static final Map<String, String[]> PLACEHOLDERS = Map.of(
    "pushhub.cluster.name", new String[]{"PUSHHUB_CLUSTER_NAME", "pushhub"},
    "pushhub.cluster.port", new String[]{"PUSHHUB_CLUSTER_PORT", "5701"},
    "pushhub.cluster.members", new String[]{"PUSHHUB_CLUSTER_MEMBERS", "127.0.0.1"},
    "pushhub.kubernetes.service", new String[]{"PUSHHUB_KUBERNETES_SERVICE", "pushhub-hazelcast"},
    "pushhub.kubernetes.namespace", new String[]{"PUSHHUB_KUBERNETES_NAMESPACE", "default"});

  private ClusterSetup() {
  }

  public static Config hazelcastConfig(HubConfig.Cluster cluster, HubConfig.Replay replay) {
    Config config = load(cluster.config());
    if (config.getProperty("hazelcast.logging.type") == null) {
      // Hazelcast's own logging otherwise bypasses Logback's JSON lines.
      config.setProperty("hazelcast.logging.type", "slf4j");
    }
    int maxAge = replay.maxAgeSeconds();
    config.addRingBufferConfig(new RingbufferConfig(RING_PREFIX + "*")
      .setCapacity(replay.maxEvents())
      .setBackupCount(1)
      .setAsyncBackupCount(0)
      .setTimeToLiveSeconds(maxAge)
      .setInMemoryFormat(InMemoryFormat.BINARY));
    config.addMapConfig(new MapConfig(EPOCHS).setBackupCount(1));
    config.addMapConfig(new MapConfig(PURGED).setBackupCount(1));
    config.addMapConfig(new MapConfig(KEYS).setBackupCount(1).setTimeToLiveSeconds(maxAge));
    config.addMapConfig(new MapConfig(NODES).setBackupCount(1));
    // What vertx-hazelcast's own default configuration declares, kept when a user's file replaces it.
    if (!config.getMultiMapConfigs().containsKey("__vertx.subs")) {
      config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    }
    for (String map : new String[]{"__vertx.haInfo", "__vertx.nodeInfo"}) {
      if (!config.getMapConfigs().containsKey(map)) {
        config.addMapConfig(new MapConfig(map).setBackupCount(1));
      }
    }
    return config;
  }

  private static Config load(String file) {
    Properties properties = new Properties();
    properties.putAll(System.getProperties());
    PLACEHOLDERS.forEach((name, envAndDefault) -> {
      String fromEnv = System.getenv(envAndDefault[0]);
      properties.setProperty(name, System.getProperty(name, fromEnv != null ? fromEnv : envAndDefault[1]));
    });
    try (InputStream in = new FileInputStream(file)) {
      return new XmlConfigBuilder(in).setProperties(properties).build();
    } catch (IOException e) {
      throw new ConfigException("cannot read cluster config " + file + ": " + e.getMessage());
    } catch (RuntimeException e) {
      throw new ConfigException("invalid cluster config " + file + ": " + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
