package io.pushhub.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the JSON config file. A file that is not JSON is reported by file, line and column in
 * plain words, on one line, instead of the parser's own message.
 */
final class ConfigFile {

  private static final Pattern FOUND = Pattern.compile("^(?:Unexpected character \\('(.+?)' \\(code|Unrecognized token '(.*?)')");

  /** What the parser expected, by a distinctive part of its message, in plain words. */
  private static final List<String[]> EXPECTED = List.of(
    new String[]{"double-quote to start field name", "a key in double quotes (a comma too many, or a key without quotes?)"},
    new String[]{"comma to separate Object entries", "',' or '}' (a comma missing between two entries?)"},
    new String[]{"comma to separate Array entries", "',' or ']' (a comma missing between two items?)"},
    new String[]{"was expecting a colon", "':' after the key"},
    new String[]{"unquoted character", "no line break or control character inside a string (escape it)"},
    new String[]{"numeric value", "a valid number"},
    new String[]{"expected a valid value", "a value: \"text\" in double quotes, a number, true, false, null, {…} or […]"},
    new String[]{"was expecting (JSON String", "a value: \"text\" in double quotes, a number, true, false, null, {…} or […]"});

  private ConfigFile() {
  }

  static JsonObject read(String file) {
    String text;
    try {
      text = Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    }
    if (text.isBlank()) {
      throw new ConfigException("config file " + file + " is empty: write {} for no settings");
    }
    Object json;
    try {
      json = Json.decodeValue(text);
    } catch (DecodeException e) {
      throw new ConfigException("config file " + file + " is not valid JSON: " + explain(e.getCause()));
    }
    if (!(json instanceof JsonObject object)) {
      throw new ConfigException("config file " + file + " must hold one JSON object ({...}), not "
        + (json instanceof JsonArray ? "a list" : "a single value"));
    }
    return object;
  }

  private static String explain(Throwable cause) {
    if (!(cause instanceof JsonProcessingException parse) || parse.getLocation() == null) {
      return "the parser gave up";
    }
    JsonLocation at = parse.getLocation();
    String where = "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
    if (cause instanceof JsonEOFException) {
      return where + "the file ends before the JSON does (a '}', ']' or '\"' missing?)";
    }
    String message = parse.getOriginalMessage();
    for (String[] expected : EXPECTED) {
      if (message.contains(expected[0])) {
        return where + "expected " + expected[1] + found(message);
      }
    }
    if (message.contains("end-of-input")) {
      return where + "the file ends before the JSON does (a '}', ']' or '\"' missing?)";
    }
    return where + "not JSON here" + found(message);
  }

  private static String found(String message) {
    Matcher m = FOUND.matcher(message);
    if (!m.find()) {
      return "";
    }
    String found = m.group(1) != null ? m.group(1) : m.group(2);
    return found.contains("'") ? ", found \"" + found + "\"" : ", found '" + found + "'";
  }
}
