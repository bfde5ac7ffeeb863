package io.pushhub.event;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;

/**
 * An event encoded once for every local subscriber.
 *
 * @param frame the whole frame with its single-topic {@code id:} line, for streams of one topic
 * @param body the frame without its {@code id:} line, for streams of several topics, which
 *             write their own cursor before it
 * @param chunk {@code frame} as one HTTP/1.1 chunk (size line, frame, CRLF), written as is by
 *              streams that write to their channel directly; never released, freed by the GC
 */
public record EncodedEvent(Event event, Buffer frame, Buffer body, ByteBuf chunk) {
}
