package io.pushhub.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** {@code POST /publish} with vertx-web-client; every refusal becomes a {@link PublishException}. */
final class HttpTransport implements RetryingPublisher.Transport {

  private final WebClient client;
  private final String url;
  private final String authorization;

  HttpTransport(Vertx vertx, PublisherOptions options) {
    this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setTcpNoDelay(true),
      new PoolOptions().setHttp1MaxSize(Math.min(options.maxInFlight(), 32)));
    this.url = options.baseUrl().replaceAll("/+$", "") + "/publish";
    this.authorization = options.token() == null ? null : "Bearer " + options.token();
  }

  @Override
  public Future<Published> send(JsonObject event, long timeoutMillis) {
    HttpRequest<Buffer> request = client.postAbs(url).timeout(timeoutMillis);
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return request.sendJsonObject(event)
      .recover(e -> Future.failedFuture(new PublishException(PublishException.NO_ANSWER, "no_answer",
        String.valueOf(e.getMessage()), 0)))
      .compose(HttpTransport::answer);
  }

  private static Future<Published> answer(HttpResponse<Buffer> response) {
    JsonObject body;
    try {
      body = response.bodyAsJsonObject();
    } catch (DecodeException | ClassCastException e) {
      body = null;
    }
    if (response.statusCode() == 200 && body != null) {
      return Future.succeededFuture(Published.fromJson(body));
    }
    String code = body != null ? body.getString("error", "http_" + response.statusCode()) : "http_" + response.statusCode();
    String message = body != null ? body.getString("message", "") : response.statusMessage();
    return Future.failedFuture(new PublishException(response.statusCode(), code, message,
      Backoff.retryAfterSeconds(response.getHeader("Retry-After"))));
  }

  @Override
  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }
}
