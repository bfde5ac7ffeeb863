package io.pushhub.support;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The test joins a {@link HubCluster} as a Hazelcast lite member, as publisher services do: to
 * see who owns a partition, and to act on the hub's structures as a node would.
 */
public final class LiteMember implements AutoCloseable {

  private final HazelcastInstance hazelcast;

  private LiteMember(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
  }

  public static LiteMember join(Map<String, String> clusterEnv) throws IOException {
    return join(clusterEnv, config -> { });
  }

  /** @param customize changes the configuration before the member starts (serializers, say) */
  public static LiteMember join(Map<String, String> clusterEnv, Consumer<Config> customize) throws IOException {
    Properties properties = new Properties();
    properties.setProperty("pushhub.cluster.name", clusterEnv.get("PUSHHUB_CLUSTER_NAME"));
    properties.setProperty("pushhub.cluster.port", clusterEnv.get("PUSHHUB_CLUSTER_PORT"));
    properties.setProperty("pushhub.cluster.members", "127.0.0.1");
    Config config;
    try (InputStream in = new FileInputStream("cluster-config/hazelcast.xml")) {
      config = new XmlConfigBuilder(in).setProperties(properties).build();
    }
    config.setLiteMember(true);
    // Vert.x nodes expect every member to carry a Vert.x node id; a member without one trips their cleanup when it leaves.
    config.getMemberAttributeConfig().setAttribute("__vertx.nodeId", java.util.UUID.randomUUID().toString());
    config.setInstanceName("test-lite-" + System.nanoTime());
    customize.accept(config);
    return new LiteMember(Hazelcast.newHazelcastInstance(config));
  }

  public HazelcastInstance hazelcast() {
    return hazelcast;
  }

  /** The Hazelcast port of the member that owns the partition of {@code partitionKey}. */
  public int ownerPort(String partitionKey) {
    Member owner = hazelcast.getPartitionService().getPartition(partitionKey).getOwner();
    return owner.getAddress().getPort();
  }

  /** Leaves as a crashed member would: no goodbye, its connections just close. */
  public void terminate() {
    hazelcast.getLifecycleService().terminate();
  }

  @Override
  public void close() {
    if (hazelcast.getLifecycleService().isRunning()) {
      hazelcast.shutdown();
    }
  }
}
