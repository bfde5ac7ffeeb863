package io.pushhub.examples;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.FileInputStream;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A service in another JVM that publishes through the cluster's event bus. It joins as a
 * Hazelcast lite member (it holds no replay data and is given no hub work) and sends requests to
 * {@code pushhub.publish}, which any hub node answers.
 *
 * <pre>
 *   PUSHHUB_CLUSTER_NAME=pushhub PUSHHUB_CLUSTER_PORT=5701 \
 *     java -cp target/pushhub.jar:target/test-classes io.pushhub.examples.ClusterPublisher news/sport "goal!"
 * </pre>
 */
public final class ClusterPublisher {

  private ClusterPublisher() {
  }

  public static void main(String[] args) throws Exception {
    Vertx vertx = join("cluster-config/hazelcast.xml");
    try {
      JsonObject reply = publish(vertx, new JsonObject().put("topic", args[0]).put("data", args[1]))
        .await(10, TimeUnit.SECONDS);
      System.out.println(reply.encode());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Joins the cluster described by the hub's own XML, as a lite member. */
  public static Vertx join(String hazelcastXml) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("pushhub.cluster.name", env("PUSHHUB_CLUSTER_NAME", "pushhub"));
    properties.setProperty("pushhub.cluster.port", env("PUSHHUB_CLUSTER_PORT", "5701"));
    properties.setProperty("pushhub.cluster.members", env("PUSHHUB_CLUSTER_MEMBERS", "127.0.0.1"));
    Config config;
    try (InputStream in = new FileInputStream(hazelcastXml)) {
      config = new XmlConfigBuilder(in).setProperties(properties).build();
    }
    config.setLiteMember(true);
    return Vertx.builder().withClusterManager(new HazelcastClusterManager(config)).buildClustered()
      .await(60, TimeUnit.SECONDS);
  }

  /**
   * Publishes {@code {"topic", "data", "event"?, "id"?}}; the reply is {@code {"id", "topic"}}. A
   * refusal fails with a {@link ReplyException} whose failure code is the HTTP status (400, 413,
   * 503…) and whose message is the error code.
   */
  public static Future<JsonObject> publish(Vertx vertx, JsonObject event) {
    return vertx.eventBus().<JsonObject>request("pushhub.publish", event).map(message -> message.body());
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null ? fallback : value;
  }
}
