package io.pushhub.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network partition between loopback addresses: iptables rules, in a chain of this object's
 * own, that drop every packet between one address and the others. Needs root and iptables.
 */
public final class LoopbackPartition implements AutoCloseable {

  private final String chain = "PUSHHUB-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36)
    .substring(0, 8).toUpperCase();

  public LoopbackPartition() {
    iptables("-N", chain);
    iptables("-I", "INPUT", "-j", chain);
  }

  /** Whether this machine lets the test set packet filter rules (root, iptables installed). */
  public static boolean available() {
    try {
      return new ProcessBuilder("iptables", "-w", "-L", "INPUT", "-n").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Drops every packet between {@code address} and each of {@code others}, both ways. */
  public void cut(String address, List<String> others) {
    for (String other : others) {
      iptables("-A", chain, "-s", address, "-d", other, "-j", "DROP");
      iptables("-A", chain, "-s", other, "-d", address, "-j", "DROP");
    }
  }

  /** Lets every packet through again. */
  public void heal() {
    iptables("-F", chain);
  }

  @Override
  public void close() {
    iptables("-D", "INPUT", "-j", chain);
    iptables("-F", chain);
    iptables("-X", chain);
  }

  private static void iptables(String... args) {
    List<String> command = new ArrayList<>(List.of("iptables", "-w"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (process.waitFor() != 0) {
        throw new AssertionError(String.join(" ", command) + ": " + output);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
