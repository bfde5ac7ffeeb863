package io.pushhub.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * An event-stream decoder that follows the WHATWG rules, as a browser's EventSource does: lines end
 * at LF, CRLF or CR; a blank line dispatches; an {@code id} becomes the last event id only when
 * its event is dispatched (so a stream cut inside a frame resumes before it), and also for an
 * event without data, which is not dispatched itself.
 */
public final class SseDecoder {

  private final Consumer<SseEvent> onEvent;
  private final Consumer<String> onComment;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private boolean lastWasCr;
  private StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String event;
  private String lastEventId = "";
  /** The {@code id} of the frame being read; committed to {@link #lastEventId} at its blank line. */
  private String idBuffer;
  private Integer retry;

  public SseDecoder(Consumer<SseEvent> onEvent, Consumer<String> onComment) {
    this(onEvent, onComment, "");
  }

  /** A parser for a reconnection: EventSource keeps the last event id across connections. */
  public SseDecoder(Consumer<SseEvent> onEvent, Consumer<String> onComment, String lastEventId) {
    this.onEvent = onEvent;
    this.onComment = onComment;
    this.lastEventId = lastEventId;
    this.idBuffer = lastEventId;
  }

  public synchronized void feed(byte[] bytes) {
    for (byte b : bytes) {
      if (b == '\n' && lastWasCr) {
        lastWasCr = false;
        continue;
      }
      lastWasCr = b == '\r';
      if (b == '\n' || b == '\r') {
        line(line.toString(StandardCharsets.UTF_8));
        line.reset();
      } else {
        line.write(b);
      }
    }
  }

  public synchronized String lastEventId() {
    return lastEventId;
  }

  public synchronized Integer retry() {
    return retry;
  }

  private void line(String text) {
    if (text.isEmpty()) {
      dispatch();
      return;
    }
    if (text.startsWith(":")) {
      onComment.accept(text.substring(1));
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "data" -> {
        data.append(value).append('\n');
        hasData = true;
      }
      case "event" -> event = value;
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          idBuffer = value;
        }
      }
      case "retry" -> {
        if (value.matches("[0-9]+")) {
          retry = Integer.parseInt(value);
        }
      }
      default -> {
      }
    }
  }

  private void dispatch() {
    lastEventId = idBuffer;
    if (!hasData) {
      event = null;
      return;
    }
    String payload = data.substring(0, data.length() - 1);
    onEvent.accept(new SseEvent(lastEventId, event == null ? "message" : event, payload));
    data = new StringBuilder();
    hasData = false;
    event = null;
  }
}
