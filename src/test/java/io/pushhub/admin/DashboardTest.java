package io.pushhub.admin;

import io.pushhub.support.RawHttp;
import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The dashboard's files: served without a token, under a strict policy, and nothing beside them. */
class DashboardTest {

  private static TestHub hub;

  @BeforeAll
  static void start() {
    // Auth on: the page must load without a token while the admin API still wants one.
    hub = TestHub.start(new JsonObject().put("auth", new JsonObject().put("hs256Secret", "dashboard-test-secret-0123456789abcdef")));
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  @Test
  void pageIsServedWithoutATokenUnderAStrictPolicy() {
    TestHub.Answer page = hub.get("/admin/ui/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.header("Content-Security-Policy")).isEqualTo(Dashboard.CSP).contains("default-src 'self'")
      .contains("connect-src 'self'");
    assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(page.header("Cache-Control")).isEqualTo("no-cache");
    assertThat(page.body()).contains("<script src=\"app.js\"").doesNotContain("<script>");

    assertThat(hub.get("/admin/ui/app.js").header("Content-Type")).contains("javascript");
    assertThat(hub.get("/admin/ui/style.css").header("Content-Type")).startsWith("text/css");

    TestHub.Answer bare = hub.get("/admin/ui");
    assertThat(bare.status()).isEqualTo(302);
    assertThat(bare.header("Location")).isEqualTo("/admin/ui/");

    TestHub.Answer missing = hub.get("/admin/ui/nothing.js");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().getString("error")).isEqualTo("not_found");
    assertThat(hub.get("/admin/cluster").status()).isEqualTo(401);
  }

  @Test
  void pathTricksStayInTheWebroot() throws Exception {
    // logback.xml and the classes sit on the classpath beside webroot/: none may come out.
    List<String> paths = List.of("/admin/ui/../../logback.xml", "/admin/ui/..%2F..%2Flogback.xml",
      "/admin/ui/%2e%2e/%2e%2e/logback.xml", "/admin/ui/%2e%2e%2f%2e%2e%2flogback.xml",
      "/admin/ui/..%5c..%5clogback.xml", "/admin/ui/..\\..\\logback.xml", "/admin/ui//..//..//logback.xml",
      "/admin/ui/%252e%252e/%252e%252e/logback.xml", "/admin/ui/..%2F..%2Fio/pushhub/Main.class",
      "/admin/ui/../ui/../../webroot/admin-ui/../../logback.xml", "/admin/ui/%2F..%2F..%2Flogback.xml");
    for (String path : paths) {
      try (RawHttp raw = RawHttp.connect(hub.port(), 0)) {
        raw.send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        await().until(() -> raw.poll().endsWith("<EOF>"));
        assertThat(raw.received()).as(path).doesNotStartWith("HTTP/1.1 200").doesNotContain("<configuration")
          .doesNotContain("appender");
      }
    }
  }
}
