package io.pushhub.http;

import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** TLS from PEM files, with HTTP/2 by ALPN: several SSE streams share one connection. */
class TlsTest {

  private static SelfSignedCertificate certificate;
  private static TestHub hub;

  @BeforeAll
  static void start() {
    certificate = SelfSignedCertificate.create("localhost");
    hub = TestHub.start(new JsonObject().put("http", new JsonObject().put("tls", new JsonObject()
      .put("certPath", certificate.certificatePath()).put("keyPath", certificate.privateKeyPath()))));
  }

  @AfterAll
  static void stop() {
    hub.close();
    certificate.delete();
  }

  @Test
  void sseStreamsOverHttp2WithTls() throws Exception {
    HttpClient client = client(HttpClient.Version.HTTP_2);
    List<String> first = new CopyOnWriteArrayList<>();
    List<String> second = new CopyOnWriteArrayList<>();
    HttpResponse<Stream<String>> a = open(client, "/events?topic=tls/a", first);
    HttpResponse<Stream<String>> b = open(client, "/events?topic=tls/a", second);
    assertThat(a.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(b.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(a.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    await().until(() -> hub.hub().openStreams() == 2);

    HttpResponse<String> published = client.send(request("/publish").header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString("{\"topic\": \"tls/a\", \"data\": \"over h2\"}")).build(),
      HttpResponse.BodyHandlers.ofString());
    assertThat(published.statusCode()).isEqualTo(200);
    assertThat(published.version()).isEqualTo(HttpClient.Version.HTTP_2);
    String id = new JsonObject(published.body()).getString("id");

    await().until(() -> first.contains("data: over h2") && second.contains("data: over h2"));
    assertThat(first).contains("id: " + id);
    a.body().close();
    b.body().close();
  }

  @Test
  void http11ClientsStillConnect() throws Exception {
    HttpResponse<String> live = client(HttpClient.Version.HTTP_1_1)
      .send(request("/health/live").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
  }

  @Test
  void plainHttpOnTheTlsPortIsRefused() {
    TestHub.Answer answer = null;
    try {
      answer = hub.get("/health/live");
    } catch (AssertionError expected) {
      // the TLS handshake fails, which is the point
    }
    assertThat(answer).isNull();
  }

  private static HttpResponse<Stream<String>> open(HttpClient client, String uri, List<String> lines)
    throws Exception {
    HttpResponse<Stream<String>> response = client.sendAsync(request(uri).build(), HttpResponse.BodyHandlers.ofLines())
      .get(10, TimeUnit.SECONDS);
    Thread reader = new Thread(() -> {
      try {
        response.body().forEach(lines::add);
      } catch (RuntimeException closed) {
        // the test closed the stream
      }
    });
    reader.setDaemon(true);
    reader.start();
    return response;
  }

  private static HttpRequest.Builder request(String uri) {
    return HttpRequest.newBuilder(URI.create("https://localhost:" + hub.port() + uri)).timeout(Duration.ofSeconds(10));
  }

  private static HttpClient client(HttpClient.Version version) throws Exception {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream pem = new FileInputStream(certificate.certificatePath())) {
      trusted.setCertificateEntry("hub", CertificateFactory.getInstance("X.509").generateCertificate(pem));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, trust.getTrustManagers(), null);
    return HttpClient.newBuilder().version(version).sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
  }
}
