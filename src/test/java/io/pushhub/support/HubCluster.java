package io.pushhub.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hub nodes as separate processes forming one Hazelcast cluster on 127.0.0.1, with a cluster name
 * and a port range of their own, so that runs never meet each other.
 */
public final class HubCluster implements AutoCloseable {

  private final Map<String, String> env;
  private final Path config;
  private final List<HubProcess> nodes = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();

  public HubCluster(Path dir, String hubConfigJson) throws IOException {
    int basePort = 10_000 + ThreadLocalRandom.current().nextInt(0, 1000) * 20;
    this.env = Map.of(
      "PUSHHUB_CLUSTER_NAME", "test-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36),
      "PUSHHUB_CLUSTER_PORT", Integer.toString(basePort));
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
    return newPorts;
  }

  public HubProcess node(int i) {
    return nodes.get(i);
  }

  public int port(int i) {
    return ports.get(i);
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
  }

  @Override
  public void close() {
    nodes.forEach(HubProcess::close);
  }
}
