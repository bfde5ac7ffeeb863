package io.pushhub.support;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hub nodes as separate processes forming one Hazelcast cluster on 127.0.0.1, with a cluster name
 * and a port range of their own, so that runs never meet each other.
 */
public final class HubCluster implements AutoCloseable {

  /**
   * The hub config of the cluster drills: short drains and heartbeats, room for a whole drill in
   * the replay store, and per-client limits out of the way (every client is nginx or the test).
   */
  public static final String DRILL_CONFIG = "{\"http\": {\"port\": 0, \"instances\": 1, \"drainSeconds\": 3},"
    + " \"sse\": {\"heartbeatSeconds\": 2}, \"replay\": {\"maxEvents\": 5000},"
    + " \"limits\": {\"maxConnectionsPerClient\": 100000, \"connectsPerSecondPerClient\": 100000,"
    + " \"publishesPerSecond\": 1000000}}";

  private final Map<String, String> env;
  private final Path dir;
  private final String hubConfigJson;
  private final Path config;
  private final List<HubProcess> nodes = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private final List<String> hosts = new ArrayList<>();

  public HubCluster(Path dir, String hubConfigJson) throws IOException {
    int basePort = 10_000 + ThreadLocalRandom.current().nextInt(0, 1000) * 20;
    this.env = Map.of(
      "PUSHHUB_CLUSTER_NAME", "test-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36),
      "PUSHHUB_CLUSTER_PORT", Integer.toString(basePort));
    this.dir = dir;
    this.hubConfigJson = hubConfigJson;
    this.config = Files.writeString(dir.resolve("hub-" + basePort + ".json"), hubConfigJson);
  }

  /** Starts {@code count} more nodes at once and waits until each serves. */
  public List<Integer> start(int count) throws IOException {
    List<HubProcess> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      started.add(HubProcess.run(env, "--cluster", "--config", config.toString()));
    }
    List<Integer> newPorts = new ArrayList<>();
    for (HubProcess node : started) {
      newPorts.add(node.awaitStarted());
    }
    nodes.addAll(started);
    ports.addAll(newPorts);
    newPorts.forEach(p -> hosts.add("127.0.0.1"));
    return newPorts;
  }

  /** The cluster's name and first Hazelcast port, as the environment variables the shipped XML reads. */
  public Map<String, String> env() {
    return env;
  }

  /**
   * Starts one node on a loopback address of its own ({@code 127.0.0.2}…, all routed to loopback
   * on Linux), with its Hazelcast member, its event bus and its HTTP listener bound there and its
   * outgoing Hazelcast connections from there: packet filter rules on that address cut the node
   * off from the others as a network partition would. {@code members} are all the nodes' addresses.
   */
  public int startOn(String address, List<String> members) throws IOException {
    JsonObject json = new JsonObject(hubConfigJson);
    json.put("http", json.getJsonObject("http", new JsonObject()).put("host", address));
    json.put("cluster", json.getJsonObject("cluster", new JsonObject()).put("host", address));
    Path nodeConfig = Files.writeString(dir.resolve("hub-" + env.get("PUSHHUB_CLUSTER_PORT") + "-" + address + ".json"),
      json.encode());
    Map<String, String> nodeEnv = new HashMap<>(env);
    nodeEnv.put("PUSHHUB_CLUSTER_MEMBERS", String.join(",", members));
    nodeEnv.put("JAVA_TOOL_OPTIONS", "-Dhazelcast.local.localAddress=" + address
      + " -Dhazelcast.socket.bind.any=false -Dhazelcast.socket.client.bind.any=false");
    HubProcess node = HubProcess.run(nodeEnv, "--cluster", "--config", nodeConfig.toString());
    int port = node.awaitStarted();
    nodes.add(node);
    ports.add(port);
    hosts.add(address);
    return port;
  }

  public HubProcess node(int i) {
    return nodes.get(i);
  }

  public int port(int i) {
    return ports.get(i);
  }

  /** The address node {@code i} listens on. */
  public String host(int i) {
    return hosts.get(i);
  }

  public List<Integer> ports() {
    return List.copyOf(ports);
  }

  /** Starts node {@code i} again, on its old HTTP port, after it was killed. */
  public void restart(int i) throws IOException {
    nodes.get(i).process().onExit().join();
    HubProcess node = HubProcess.run(env, "--cluster", "--config", config.toString(), "--port",
      Integer.toString(ports.get(i)));
    node.awaitStarted();
    nodes.set(i, node);
  }

  /** Kills every node at once, as a whole-cluster outage would. */
  public void killAll() {
    nodes.forEach(HubProcess::sigkill);
    nodes.forEach(n -> n.process().onExit().join());
    nodes.clear();
    ports.clear();
    hosts.clear();
  }

  /** Kills every node, and keeps each one's output under target/cluster-logs/ for whoever reads a failure. */
  @Override
  public void close() {
    nodes.forEach(HubProcess::close);
    Path logs = Path.of("target", "cluster-logs", env.get("PUSHHUB_CLUSTER_NAME"));
    try {
      Files.createDirectories(logs);
      for (int i = 0; i < nodes.size(); i++) {
        nodes.get(i).process().onExit().join();
        Files.write(logs.resolve("node-" + i + ".log"), nodes.get(i).stdout());
      }
    } catch (IOException e) {
      // logs are a convenience
    }
  }
}
