package io.pushhub.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/** The log lines of ERROR level written while it is open (to check a client cannot cause them). */
public final class LogCapture implements AutoCloseable {

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  public LogCapture() {
    appender.start();
    root.addAppender(appender);
  }

  public synchronized List<String> errors() {
    return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
      .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()
        + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getClassName()))
      .toList();
  }

  /** The diagnostic context (MDC) of each line of WARN level or above. */
  public synchronized List<Map<String, String>> warningContexts() {
    return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
      .map(ILoggingEvent::getMDCPropertyMap).toList();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
