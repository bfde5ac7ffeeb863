package io.pushhub.config;

/** A bad command line or config file: Main prints the message on one line and exits with code 2. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
