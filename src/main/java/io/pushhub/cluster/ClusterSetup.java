package io.pushhub.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.config.XmlConfigBuilder;
import com.hazelcast.spi.merge.PutIfAbsentMergePolicy;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import io.pushhub.config.ConfigException;
import io.pushhub.config.HubConfig;
import io.pushhub.mercure.HazelcastMercureIdIndex;
import io.pushhub.mercure.HazelcastSubscriptionRegistry;
import io.pushhub.mercure.MercureIdIndex;

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

  /** Per topic, its replay log (see {@link HazelcastReplayStore}), gone after {@code replay.maxAgeSeconds} without an append. */
  public static final String LOGS = "pushhub.logs";
  /** Hub nodes, by Vert.x node id: what {@code /admin/cluster} lists; publishers never appear here. */
  public static final String NODES = "pushhub.nodes";
  /** Hub nodes that leave on purpose announce it here first, by member UUID (see {@link MajorityRule}). */
  static final String DEPARTURES = "pushhub.departures";
  /** The member attribute that marks a hub node, as opposed to a publisher or a tool. */
  static final String HUB_ATTRIBUTE = "pushhub.hub";
  /** The split-brain protection that refuses writes to the replay store outside the majority. */
  static final String MAJORITY = "pushhub.majority";

  /**
   * Hazelcast properties the hub sets unless the user's file does. Merges are looked for every few
   * seconds (the defaults wait minutes), so a node that was cut off comes back quickly. A write
   * whose backup was not confirmed fails instead of counting as done: a paused member that still
   * believes it owns a partition must not acknowledge an event the others never stored.
   */
  private static final Map<String, String> PROPERTIES = Map.of(
    "hazelcast.logging.type", "slf4j",
    "hazelcast.merge.first.run.delay.seconds", "5",
    "hazelcast.merge.next.run.delay.seconds", "5",
    "hazelcast.invocation.fail.on.indeterminate.operation.state", "true");

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
    PROPERTIES.forEach((name, value) -> {
      if (config.getProperty(name) == null) {
        config.setProperty(name, value);
      }
    });
    config.getMemberAttributeConfig().setAttribute(HUB_ATTRIBUTE, "1");
    config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(MAJORITY, true)
      .setProtectOn(SplitBrainProtectionOn.WRITE)
      .setFunctionImplementation(new MajorityRule(cluster.minMembers())));
    // After a split the smaller side merges into the larger; only the majority wrote meanwhile,
    // so what it holds wins and the other side's copies are dropped.
    MergePolicyConfig keepMajority = new MergePolicyConfig().setPolicy(PutIfAbsentMergePolicy.class.getName());
    int maxAge = replay.maxAgeSeconds();
    // Values stay objects: entry processors change a log in place, and a backup replays the
    // change instead of receiving a copy. Time-to-live counts from an entry's last update.
    config.addMapConfig(new MapConfig(LOGS).setBackupCount(1).setAsyncBackupCount(0)
      .setInMemoryFormat(InMemoryFormat.OBJECT).setTimeToLiveSeconds(maxAge)
      .setSplitBrainProtectionName(MAJORITY).setMergePolicyConfig(keepMajority));
    config.getSerializationConfig().addDataSerializableFactory(LogSerialization.FACTORY_ID, new LogSerialization());
    config.addMapConfig(HazelcastMercureIdIndex.mapConfig(MercureIdIndex.MAX_IDS, maxAge)
      .setSplitBrainProtectionName(MAJORITY).setMergePolicyConfig(keepMajority));
    config.addMapConfig(HazelcastSubscriptionRegistry.mapConfig());
    config.addMapConfig(new MapConfig(NODES).setBackupCount(1));
    config.addMapConfig(new MapConfig(ClusterRoutes.EVERY_EVENT).setBackupCount(1));
    config.addMapConfig(new MapConfig(DEPARTURES).setBackupCount(1).setTimeToLiveSeconds(60));
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

  /** The rule deciding whether this member is on the majority side. */
  static MajorityRule majorityRule(Config config) {
    return (MajorityRule) config.getSplitBrainProtectionConfig(MAJORITY).getFunctionImplementation();
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
