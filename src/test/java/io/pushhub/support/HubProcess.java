package io.pushhub.support;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** The hub as users run it: {@code java -jar target/pushhub.jar ARGS} in a process of its own. */
public final class HubProcess implements AutoCloseable {

  private final Process process;
  private final List<String> stdout = new ArrayList<>();
  private final List<String> stderr = new ArrayList<>();

  private HubProcess(Process process) {
    this.process = process;
    pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), stdout);
    pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), stderr);
  }

  public static Path jar() {
    return Path.of(System.getProperty("pushhub.jar", "target/pushhub.jar"));
  }

  public static HubProcess run(String... args) throws IOException {
    return run(Map.of(), args);
  }

  /** Runs the jar with extra environment variables. */
  public static HubProcess run(Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
      Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1", "-jar", jar().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    return new HubProcess(builder.start());
  }

  /** Waits for the "started" log line and returns the port it names. */
  public int awaitStarted() {
    await().atMost(Duration.ofSeconds(60)).until(() -> startedLine() != null || !process.isAlive());
    String line = startedLine();
    if (line == null) {
      throw new AssertionError("hub did not start: " + stderr() + stdout());
    }
    return new JsonObject(line).getInteger("port");
  }

  private String startedLine() {
    synchronized (stdout) {
      return stdout.stream().filter(l -> l.contains("\"pushhub started")).findFirst().orElse(null);
    }
  }

  /** SIGTERM, keeping our ends of its output open (Process.destroy() would close them). */
  public void sigterm() {
    process.toHandle().destroy();
  }

  /** SIGKILL. */
  public void sigkill() {
    process.toHandle().destroyForcibly();
  }

  /** SIGSTOP: the process freezes as in a long GC pause or a stalled VM. */
  public void sigstop() {
    signal("STOP");
  }

  /** SIGCONT: the frozen process goes on where it stopped. */
  public void sigcont() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      int status = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
      if (status != 0) {
        throw new AssertionError("kill -" + name + " exited " + status);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public Process process() {
    return process;
  }

  public List<String> stdout() {
    synchronized (stdout) {
      return List.copyOf(stdout);
    }
  }

  public List<String> stderr() {
    synchronized (stderr) {
      return List.copyOf(stderr);
    }
  }

  /** Waits for the exit and returns its status. */
  public int awaitExit(Duration within) throws InterruptedException {
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("hub did not exit within " + within);
    }
    return process.exitValue();
  }

  private static void pump(BufferedReader reader, List<String> into) {
    Thread thread = new Thread(() -> {
      try (reader) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          synchronized (into) {
            into.add(line);
          }
        }
      } catch (IOException e) {
        // the process is gone
      }
    });
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
