package io.pushhub.client;

/**
 * One dispatched server-sent event.
 *
 * @param id the last event id when it was dispatched (the hub's cursor; empty before any)
 * @param event its type, {@code message} when the stream named none
 * @param data its data lines joined with LF
 */
public record SseEvent(String id, String event, String data) {
}
