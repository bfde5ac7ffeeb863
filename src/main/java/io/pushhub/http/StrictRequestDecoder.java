package io.pushhub.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.ConnectionBase;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Vert.x's HTTP/1.x request decoder with the framing rules that stop request smuggling (RFC 9112
 * §6.1, §6.3): a request with both {@code Content-Length} and {@code Transfer-Encoding}, or a
 * {@code Transfer-Encoding} other than exactly {@code chunked}, is refused; so are two
 * {@code Host} headers and a protocol other than HTTP/1.0 and 1.1. Netty alone frames the first
 * by the chunked body and keeps the connection open for whatever follows it.
 *
 * <p>A refusal fails the decoded request; {@link InvalidRequests} answers {@code 400} and closes.
 * The decoder also tells {@link RequestDeadlines} when the first bytes of each request's head
 * arrive, so that the request timeout runs from there on a keep-alive connection too.
 */
public final class StrictRequestDecoder extends VertxHttpRequestDecoder {

  private static final String NAME = "httpDecoder";

  /** Why a request was refused; its message goes to the client. */
  public static final class Refused extends IllegalArgumentException {
    Refused(String message) {
      super(message, null);
    }
  }

  private ChannelHandlerContext context;
  /** Inside a request (head decoded, its last content not yet): bytes that arrive are its body. */
  private boolean inMessage;
  /** Bytes of a request head have arrived, and it is not complete yet. */
  private boolean headArriving;
  private Runnable headStarted = () -> { };

  public StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  /** Puts this decoder in place of Vert.x's on a new HTTP/1.x connection; {@code null} on HTTP/2 (none there). */
  public static StrictRequestDecoder install(HttpConnection connection, HttpServerOptions options) {
    if (connection instanceof ConnectionBase base) {
      ChannelPipeline pipeline = base.channelHandlerContext().pipeline();
      if (pipeline.get(NAME) instanceof VertxHttpRequestDecoder current && !(current instanceof StrictRequestDecoder)) {
        StrictRequestDecoder strict = new StrictRequestDecoder(options);
        pipeline.replace(NAME, NAME, strict);
        return strict;
      }
    }
    return null;
  }

  /** Called on the connection's event loop when the first bytes of a request's head arrive. */
  public void onHeadStarted(Runnable action) {
    this.headStarted = action;
  }

  public boolean headArriving() {
    return headArriving;
  }

  /** A head that did not arrive in time: {@code 408} with the JSON error, written below Vert.x, then closed. */
  public void timeOut() {
    byte[] body = new JsonObject().put("error", "bad_request").put("message", "request headers not received in time")
      .encode().getBytes(StandardCharsets.UTF_8);
    byte[] head = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\nConnection: close\r\n"
      + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    context.writeAndFlush(Unpooled.wrappedBuffer(head, body)).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    context = ctx;
    if (!inMessage && !headArriving && msg instanceof ByteBuf bytes && bytes.isReadable()) {
      headArriving = true;
      headStarted.run();
    }
    super.channelRead(ctx, msg);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
    int from = out.size();
    super.decode(ctx, buffer, out);
    for (int i = from; i < out.size(); i++) {
      if (out.get(i) instanceof HttpRequest) {
        headArriving = false;
        inMessage = true;
      }
      if (out.get(i) instanceof LastHttpContent) {
        inMessage = false;
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
