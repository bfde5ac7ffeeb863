package io.pushhub.mercure;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * One subscription of a Mercure subscriber: one topic selector of one stream (docs/mercure.md,
 * "Active subscriptions"). Its {@link #id()} is the topic of its subscription events and its
 * address in the subscriptions API.
 *
 * @param topic the topic selector, as the subscriber sent it
 * @param subscriber the stream's identifier, an IRI ({@code urn:uuid:…}) shared by its subscriptions
 * @param payload the token's {@code mercure.payload}, {@code null} without one
 * @param node the node that holds the stream (its cluster member id, or the node id without a cluster)
 */
public record ActiveSubscription(String topic, String subscriber, Object payload, String node) {

  public static final String CONTEXT = "https://mercure.rocks/";
  public static final String PATH = MercureSubscribeHandler.PATH + "/subscriptions";

  /** {@code /.well-known/mercure/subscriptions/{topic}/{subscriber}}, both percent-encoded as RFC 6570 expands them. */
  public String id() {
    return PATH + "/" + MercureIds.percentEncode(topic) + "/" + MercureIds.percentEncode(subscriber);
  }

  /** The JSON-LD document of the protocol, without {@code @context} (which a collection carries once). */
  public JsonObject document(boolean active) {
    JsonObject doc = new JsonObject().put("id", id()).put("type", "Subscription").put("topic", topic)
      .put("subscriber", subscriber).put("active", active);
    if (payload != null) {
      doc.put("payload", payload);
    }
    return doc;
  }

  /** The body of its subscription event. */
  public String event(boolean active) {
    return new JsonObject().put("@context", CONTEXT).mergeIn(document(active)).encode();
  }

  /** The form kept in a cluster-wide map: a string, so Hazelcast needs no serializer. */
  String encode() {
    return new JsonObject().put("topic", topic).put("subscriber", subscriber).put("payload", payload)
      .put("node", node).encode();
  }

  /** What {@link #encode} wrote, or {@code null} for anything else. */
  static ActiveSubscription decode(String stored) {
    try {
      JsonObject json = new JsonObject(stored);
      return new ActiveSubscription(json.getString("topic"), json.getString("subscriber"),
        json.getValue("payload"), json.getString("node"));
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }
}
