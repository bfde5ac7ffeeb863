package io.pushhub.event;

import io.vertx.core.buffer.Buffer;

/**
 * An event encoded once for every local subscriber.
 *
 * @param frame the whole frame with its single-topic {@code id:} line, for streams of one topic
 * @param body the frame without its {@code id:} line, for streams of several topics, which
 *             write their own cursor before it
 */
public record EncodedEvent(Event event, Buffer frame, Buffer body) {
}
