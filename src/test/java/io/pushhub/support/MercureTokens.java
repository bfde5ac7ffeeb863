package io.pushhub.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** HS256 tokens with a {@code mercure} claim, signed here, for tests of the Mercure endpoint. */
public final class MercureTokens {

  public static final String SECRET = "a-test-secret-of-at-least-32-bytes!!";

  private MercureTokens() {
  }

  /** A token valid for an hour with these {@code mercure.publish} and {@code mercure.subscribe} selectors. */
  public static String token(List<String> publish, List<String> subscribe) {
    JsonObject mercure = new JsonObject().put("publish", new JsonArray(publish)).put("subscribe", new JsonArray(subscribe));
    return sign(new JsonObject().put("sub", "tester").put("exp", System.currentTimeMillis() / 1000 + 3600)
      .put("mercure", mercure));
  }

  public static String sign(JsonObject claims) {
    try {
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      String head = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
      String body = b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return head + "." + body + "." + b64.encodeToString(mac.doFinal((head + "." + body).getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
