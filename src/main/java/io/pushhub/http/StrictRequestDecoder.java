package io.pushhub.http;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;

import java.util.List;

/**
 * Vert.x's HTTP/1.x request decoder with the framing rules that stop request smuggling (RFC 9112
 * §6.1, §6.3): a request with both {@code Content-Length} and {@code Transfer-Encoding}, or a
 * {@code Transfer-Encoding} other than exactly {@code chunked}, is refused; so are two
 * {@code Host} headers and a protocol other than HTTP/1.0 and 1.1. Netty alone frames the first
 * by the chunked body and keeps the connection open for whatever follows it.
 *
 * <p>A refusal fails the decoded request; {@link InvalidRequests} answers {@code 400} and closes.
 */
public final class StrictRequestDecoder extends VertxHttpRequestDecoder {

  private static final String NAME = "httpDecoder";

  /** Why a request was refused; its message goes to the client. */
  public static final class Refused extends IllegalArgumentException {
    Refused(String message) {
      super(message, null);
    }
  }

  public StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  /** Puts this decoder in place of Vert.x's on a new HTTP/1.x connection (HTTP/2 has none). */
  public static void install(HttpConnection connection, HttpServerOptions options) {
    if (connection instanceof ConnectionBase base) {
      ChannelPipeline pipeline = base.channelHandlerContext().pipeline();
      if (pipeline.get(NAME) instanceof VertxHttpRequestDecoder current && !(current instanceof StrictRequestDecoder)) {
        pipeline.replace(NAME, NAME, new StrictRequestDecoder(options));
      }
    }
  }

  @Override
  protected HttpMessage createMessage(String[] initialLine) {
    String version = initialLine[2];
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      throw new Refused("unsupported protocol version " + (version.length() > 16 ? version.substring(0, 16) : version));
    }
    return super.createMessage(initialLine);
  }

  /** Netty asks this right after the headers, before it picks the body's framing. */
  @Override
  protected boolean isContentAlwaysEmpty(HttpMessage message) {
    HttpHeaders headers = message.headers();
    if (headers.getAll(HttpHeaderNames.HOST).size() > 1) {
      throw new Refused("more than one Host header");
    }
    List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (!codings.isEmpty()) {
      if (codings.size() > 1 || !codings.get(0).trim().equalsIgnoreCase("chunked")) {
        throw new Refused("unsupported Transfer-Encoding: only chunked is accepted");
      }
      if (message.protocolVersion() != HttpVersion.HTTP_1_1) {
        throw new Refused("Transfer-Encoding needs HTTP/1.1");
      }
      if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        throw new Refused("both Content-Length and Transfer-Encoding");
      }
    }
    return super.isContentAlwaysEmpty(message);
  }
}
