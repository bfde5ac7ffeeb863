package io.pushhub.admin;

import io.pushhub.support.SseClient;
import io.pushhub.support.TestHub;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AdminApiTest {

  private static TestHub hub;

  @BeforeAll
  static void start() {
    hub = TestHub.start(new JsonObject().put("replay", new JsonObject().put("maxEvents", 3)));
  }

  @AfterAll
  static void stop() {
    hub.close();
  }

  @Test
  void clusterViewOfASingleNode() {
    try (SseClient a = hub.subscribe("/events?topic=adm/a&topic=adm/b"); SseClient b = hub.subscribe("/events?topic=adm/a")) {
      JsonObject view = hub.get("/admin/cluster").json();
      assertThat(view.getJsonArray("nodes")).hasSize(1);
      JsonObject node = view.getJsonArray("nodes").getJsonObject(0);
      assertThat(node.fieldNames()).contains("id", "name", "httpAddress", "connections", "subscriptions",
        "uptimeSeconds", "draining");
      assertThat(node.getString("httpAddress")).endsWith(":" + hub.port());
      assertThat(view.getLong("connections")).isEqualTo(2);
      assertThat(view.getLong("subscriptions")).isEqualTo(3);
      assertThat(view.getLong("topics")).isEqualTo(2);
    }
  }

  @Test
  void topicsWithTheirHistory() {
    try (SseClient s = hub.subscribe("/events?topic=adm/t/x")) {
      for (int i = 0; i < 5; i++) {
        hub.publish(new JsonObject().put("topic", "adm/t/x").put("data", "d" + i).put("event", i == 4 ? "last" : null));
      }
      JsonObject list = hub.get("/admin/topics?prefix=adm/t/").json();
      assertThat(list.getJsonArray("topics")).hasSize(1);
      JsonObject row = list.getJsonArray("topics").getJsonObject(0);
      assertThat(row.getString("topic")).isEqualTo("adm/t/x");
      assertThat(row.getLong("subscribers")).isEqualTo(1);
      assertThat(row.getLong("retained")).isEqualTo(3);
      assertThat(row.getLong("published")).isEqualTo(5);
      JsonObject one = hub.get("/admin/topics/adm%2Ft%2Fx?events=2").json();
      JsonArray events = one.getJsonArray("events");
      assertThat(events).hasSize(2);
      assertThat(events.getJsonObject(1).getString("event")).isEqualTo("last");
      assertThat(events.getJsonObject(1).getString("data")).isEqualTo("d4");
      assertThat(events.getJsonObject(1).getString("id")).isEqualTo(one.getString("lastId"));
      assertThat(events.getJsonObject(1).getString("publishedAt")).endsWith("Z");

      assertThat(hub.send(hub.request("/admin/topics/adm%2Ft%2Fx/history").DELETE()).status()).isEqualTo(204);
      assertThat(hub.get("/admin/topics/adm%2Ft%2Fx").json().getLong("retained")).isZero();
    }
  }

  @Test
  void connectionsAreListedFilteredAndClosable() {
    try (SseClient s = hub.subscribe("/events?topic=adm/c"); SseClient other = hub.subscribe("/events?topic=adm/other")) {
      JsonArray connections = hub.get("/admin/connections?topic=adm/c").json().getJsonArray("connections");
      assertThat(connections).hasSize(1);
      JsonObject c = connections.getJsonObject(0);
      assertThat(c.getValue("user")).isNull();
      assertThat(c.getString("remote")).startsWith("127.0.0.1:");
      assertThat(c.getJsonArray("topics")).containsExactly("adm/c");
      assertThat(hub.send(hub.request("/admin/connections/" + c.getString("id")).DELETE()).status()).isEqualTo(204);
      await().until(s::ended);
      assertThat(other.ended()).isFalse();
      assertThat(hub.send(hub.request("/admin/connections/" + c.getString("id")).DELETE()).status()).isEqualTo(404);
      assertThat(hub.send(hub.request("/admin/connections/nonsense").DELETE()).status()).isEqualTo(404);
    }
  }

  @Test
  void inDevelopmentModeTheAdminApiGoesByTheSocketPeerNotTheHeader() {
    // The peer is loopback: a forwarded address never takes that away or grants it (ForwardedForTest
    // covers a non-loopback peer).
    try (TestHub dev = TestHub.start(new JsonObject())) {
      assertThat(dev.send(dev.request("/admin/cluster").header("X-Forwarded-For", "203.0.113.9")).status())
        .isEqualTo(200);
    }
  }

  @Test
  void badParametersAre400AndConfigIsRedacted() {
    assertThat(hub.get("/admin/topics?limit=abc").status()).isEqualTo(400);
    assertThat(hub.get("/admin/topics/a%2F%2Fb").status()).isEqualTo(400);
    assertThat(hub.get("/admin/topics/adm%2Fa?events=-1").json().getString("error")).isEqualTo("bad_request");
    JsonObject config = hub.get("/admin/config").json();
    assertThat(config.getJsonObject("replay").getInteger("maxEvents")).isEqualTo(3);
    assertThat(hub.send(hub.request("/admin/nodes/unknown/drain").POST(HttpRequest.BodyPublishers.noBody())).status())
      .isEqualTo(404);
  }
}
