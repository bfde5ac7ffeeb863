package io.pushhub.support;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * A real nginx running {@code deploy/nginx/pushhub.conf}, with the test's node ports and listen
 * port swapped in between the file's markers, everything else as shipped.
 */
public final class Nginx implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path dir;

  private Nginx(Process process, int port, Path dir) {
    this.dir = dir;
    this.process = process;
    this.port = port;
  }

  public static Nginx start(Path dir, int port, List<Integer> nodePorts) throws IOException {
    return startFor(dir, port, nodePorts.stream().map(p -> "127.0.0.1:" + p).toList());
  }

  /** nginx in front of nodes given as "host:port". */
  public static Nginx startFor(Path dir, int port, List<String> nodes) throws IOException {
    String shipped = Files.readString(Path.of("deploy/nginx/pushhub.conf"));
    String servers = nodes.stream().map(n -> "    server " + n + " max_fails=1 fail_timeout=2s;")
      .collect(Collectors.joining("\n"));
    String site = replaceBetween(shipped, "# upstream-servers-begin", "# upstream-servers-end", servers);
    site = replaceBetween(site, "# listen-begin", "# listen-end", "    listen 127.0.0.1:" + port + ";");
    site = replaceBetween(site, "# access-log-begin", "# access-log-end",
      "    access_log " + dir.resolve("logs/access.log") + " pushhub_no_query;");
    Files.createDirectories(dir.resolve("logs"));
    Files.writeString(dir.resolve("pushhub.conf"), site);
    Files.writeString(dir.resolve("nginx.conf"), mainConfig(dir, dir.resolve("logs"), dir.resolve("pushhub.conf")));
    Process process = new ProcessBuilder(binary(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
      .redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      if (!process.isAlive()) {
        throw new AssertionError("nginx exited: " + Files.readString(dir.resolve("logs/stdout.log")));
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return true;
      } catch (IOException e) {
        return false;
      }
    });
    return new Nginx(process, port, dir);
  }

  /** An nginx.conf that runs {@code site} in the foreground, with its pid, temp files and error log inside {@code dir}. */
  public static String mainConfig(Path dir, Path logs, Path site) {
    return String.join("\n",
      "daemon off;", "worker_processes 1;", "pid " + dir.resolve("nginx.pid") + ";",
      "error_log " + logs.resolve("error.log") + " warn;",
      "events { worker_connections 4096; }",
      "http {",
      "  access_log off;",
      "  client_body_temp_path " + dir.resolve("body") + ";",
      "  proxy_temp_path " + dir.resolve("proxy") + ";",
      "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";",
      "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
      "  scgi_temp_path " + dir.resolve("scgi") + ";",
      "  include " + site + ";",
      "}", "");
  }

  private static String binary() {
    for (String candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new AssertionError("nginx is not installed: run scripts/test, which installs it");
  }

  private static String replaceBetween(String text, String begin, String end, String replacement) {
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new AssertionError("markers " + begin + " / " + end + " missing in deploy/nginx/pushhub.conf");
    }
    return text.substring(0, from + begin.length()) + "\n" + replacement + "\n    " + text.substring(to);
  }

  /** The access log, in the shipped format. */
  public String accessLog() throws IOException {
    return Files.readString(dir.resolve("logs/access.log"));
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    process.toHandle().destroy();
  }
}
