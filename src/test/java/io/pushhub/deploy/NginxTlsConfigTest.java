package io.pushhub.deploy;

import io.pushhub.support.Nginx;
import io.pushhub.support.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * deploy/nginx/pushhub-tls.conf as shipped (only ports, certificate and log paths swapped in
 * between its markers) passes {@code nginx -t} with a fresh self-signed certificate, then serves
 * a real hub over TLS with HTTP/2: streams and health on the public listener, /metrics and /admin
 * only on the operators' listener. Needs nginx and openssl (scripts/test installs both).
 */
class NginxTlsConfigTest {

  private static final Path NGINX = Path.of("/usr/sbin/nginx");
  private static final Path OPENSSL = Path.of("/usr/bin/openssl");

  @TempDir
  Path dir;
  private TestHub hub;
  private Process nginx;
  private int publicPort;
  private int redirectPort;
  private int internalPort;
  private HttpClient client;

  @BeforeEach
  void start() throws Exception {
    assertThat(NGINX).as("nginx missing: scripts/test installs it").isExecutable();
    assertThat(OPENSSL).as("openssl missing: scripts/test installs it").isExecutable();
    Path cert = dir.resolve("pushhub.crt");
    Path key = dir.resolve("pushhub.key");
    run(OPENSSL.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
      "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(), "-out", cert.toString());
    hub = TestHub.start();
    int base = 20_000 + ThreadLocalRandom.current().nextInt(10_000);
    publicPort = base;
    redirectPort = base + 1;
    internalPort = base + 2;
    String tls = "    ssl_certificate     " + cert + ";\n    ssl_certificate_key " + key + ";";
    String site = DeployFiles.read(Path.of("deploy/nginx/pushhub-tls.conf"));
    site = between(site, "upstream-servers", "    server 127.0.0.1:" + hub.port() + " max_fails=1 fail_timeout=2s;");
    site = between(site, "redirect-listen", "    listen 127.0.0.1:" + redirectPort + ";");
    site = between(site, "listen", "    listen 127.0.0.1:" + publicPort + " ssl http2;");
    site = between(site, "internal-listen", "    listen 127.0.0.1:" + internalPort + " ssl http2;");
    site = between(site, "tls", tls);
    site = between(site, "internal-tls", tls);
    site = between(site, "access-log", "    access_log " + dir.resolve("access.log") + " pushhub_no_query;");
    site = between(site, "internal-access-log", "    access_log " + dir.resolve("admin-access.log") + " pushhub_no_query;");
    Files.writeString(dir.resolve("pushhub-tls.conf"), site);
    Files.writeString(dir.resolve("nginx.conf"), Nginx.mainConfig(dir, dir, dir.resolve("pushhub-tls.conf")));
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(trusting(cert))
      .connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterEach
  void stop() {
    if (nginx != null) {
      nginx.toHandle().destroy();
    }
    if (hub != null) {
      hub.close();
    }
  }

  @Test
  void nginxAcceptsTheConfig() throws Exception {
    String output = run(NGINX.toString(), "-t", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString());
    assertThat(output).contains("syntax is ok", "test is successful");
  }

  @Test
  void servesStreamsOverHttp2AndKeepsMetricsAndAdminOffThePublicListener() throws Exception {
    startNginx();
    HttpResponse<String> live = get("https://127.0.0.1:" + publicPort + "/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(live.headers().firstValue("strict-transport-security")).isPresent();

    assertThat(get("https://127.0.0.1:" + publicPort + "/metrics").statusCode()).isEqualTo(404);
    assertThat(get("https://127.0.0.1:" + publicPort + "/admin/cluster").statusCode()).isEqualTo(404);
    assertThat(get("https://127.0.0.1:" + publicPort + "/admin/ui/").statusCode()).isEqualTo(404);
    HttpResponse<String> metrics = get("https://127.0.0.1:" + internalPort + "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("pushhub_connections");
    assertThat(metrics.version()).isEqualTo(HttpClient.Version.HTTP_2);

    HttpResponse<String> plain = HttpClient.newHttpClient().send(
      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + redirectPort + "/events?topic=a")).build(),
      HttpResponse.BodyHandlers.ofString());
    assertThat(plain.statusCode()).isEqualTo(301);
    assertThat(plain.headers().firstValue("location")).hasValue("https://127.0.0.1/events?topic=a");

    // A stream through nginx over HTTP/2 gets a published event as it happens.
    ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    HttpResponse<Stream<String>> stream = client.sendAsync(
      HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + publicPort + "/events?topic=tls/news")).build(),
      HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.version()).isEqualTo(HttpClient.Version.HTTP_2);
    Thread reader = new Thread(() -> {
      try {
        stream.body().forEach(lines::add);
      } catch (RuntimeException closed) {
        // The stream is closed at the end of the test.
      }
    });
    reader.setDaemon(true);
    reader.start();
    await().until(() -> lines.contains("retry: 3000"));
    hub.publish("tls/news", "over h2");
    await().until(() -> lines.contains("data: over h2"));
    stream.body().close();
  }

  private void startNginx() {
    try {
      nginx = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    for (int port : List.of(publicPort, redirectPort, internalPort)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        if (!nginx.isAlive()) {
          throw new AssertionError("nginx exited: " + Files.readString(dir.resolve("stdout.log")));
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
          return true;
        } catch (IOException e) {
          return false;
        }
      });
    }
  }

  private HttpResponse<String> get(String uri) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).build(),
      HttpResponse.BodyHandlers.ofString());
  }

  private static SSLContext trusting(Path cert) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      trust.setCertificateEntry("nginx", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  /** Replaces what lies between "# NAME-begin" and "# NAME-end". */
  private static String between(String text, String name, String replacement) {
    String begin = "# " + name + "-begin\n";
    String end = "# " + name + "-end";
    int from = text.indexOf(begin);
    int to = text.indexOf(end, from);
    if (from < 0 || to < 0) {
      throw new AssertionError("markers of " + name + " missing in deploy/nginx/pushhub-tls.conf");
    }
    return text.substring(0, from + begin.length()) + replacement + "\n    " + text.substring(to);
  }

  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
    return output;
  }
}
