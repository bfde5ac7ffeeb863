package io.pushhub.publish;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.pushhub.error.HubError;
import io.pushhub.error.HubException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.io.IOException;

/**
 * A publish body, read as strict JSON: one object, no comments, no duplicate keys, nothing after
 * it, and no number too large for a double (Vert.x's parser takes comments, and {@code 1e400}
 * would reach subscribers as {@code Infinity}, which is not JSON).
 */
final class StrictJson {

  // Jackson's defaults refuse comments, NaN and unquoted names.
  private static final JsonFactory FACTORY = JsonFactory.builder()
    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private StrictJson() {
  }

  static JsonObject object(Buffer body) {
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    try (JsonParser parser = FACTORY.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw bad("body is not a JSON object");
      }
      int depth = 1;
      while (depth > 0) {
        JsonToken token = parser.nextToken();
        if (token == null) {
          throw bad("body is not valid JSON");
        } else if (token.isStructStart()) {
          depth++;
        } else if (token.isStructEnd()) {
          depth--;
        } else if (token == JsonToken.VALUE_NUMBER_FLOAT && !Double.isFinite(parser.getDoubleValue())) {
          throw bad("a number in the body is out of range");
        }
      }
      if (parser.nextToken() != null) {
        throw bad("body has more than one JSON value");
      }
    } catch (IOException e) {
      throw bad("body is not valid JSON");
    }
    return new JsonObject(body);
  }

  private static HubException bad(String message) {
    return new HubException(HubError.BAD_REQUEST, message);
  }
}
