package io.pushhub.auth;

import io.pushhub.config.ConfigException;
import io.pushhub.config.ConfigLoader;
import io.pushhub.config.HubConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pushhub token}: prints a signed token for development and scripts, with vertx-auth-jwt,
 * from the configured HS256 secret or a PKCS#8 private key (RS256 or ES256 by its type).
 */
public final class TokenTool {

  static final String USAGE = "usage: pushhub token --sub ID [--subscribe PATTERN]... [--publish PATTERN]... [--admin]"
    + " [--ttl SECONDS] [--config FILE | --key PRIVATE_KEY.pem] [--iss ISSUER] [--aud AUDIENCE]";

  /** What to sign: the claims of docs/protocol.md and the key to sign them with. */
  public record Request(String subject, List<String> subscribe, List<String> publish, boolean admin, long ttlSeconds,
                        String algorithm, String key, String issuer, String audience) {
  }

  private TokenTool() {
  }

  /** Parses the arguments after {@code token}; {@link ConfigException} for anything wrong, with the usage. */
  public static Request parse(String[] args) {
    String subject = null;
    String configFile = null;
    String keyFile = null;
    String issuer = null;
    String audience = null;
    long ttl = 3600;
    boolean admin = false;
    List<String> subscribe = new ArrayList<>();
    List<String> publish = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--sub" -> subject = value(args, ++i, arg);
        case "--subscribe" -> subscribe.add(pattern(value(args, ++i, arg)));
        case "--publish" -> publish.add(pattern(value(args, ++i, arg)));
        case "--admin" -> admin = true;
        case "--ttl" -> ttl = seconds(value(args, ++i, arg));
        case "--config" -> configFile = value(args, ++i, arg);
        case "--key" -> keyFile = value(args, ++i, arg);
        case "--iss" -> issuer = value(args, ++i, arg);
        case "--aud" -> audience = value(args, ++i, arg);
        case "--help" -> throw new ConfigException(USAGE);
        default -> throw new ConfigException("unknown argument '" + arg + "'; " + USAGE);
      }
    }
    if (subject == null) {
      throw new ConfigException("--sub is required; " + USAGE);
    }
    if (keyFile != null) {
      String pem = read(keyFile);
      return new Request(subject, subscribe, publish, admin, ttl, algorithmOf(pem), pem, issuer, audience);
    }
    // The hub's own configuration: the file if named, and the PUSHHUB_* environment either way.
    HubConfig.Auth auth = ConfigLoader.fromArgs(configFile == null ? new String[0] : new String[]{"--config", configFile})
      .auth();
    if (auth.hs256Secret() == null) {
      throw new ConfigException("no signing key: give --config FILE with auth.hs256Secret (or set"
        + " PUSHHUB_AUTH_HS256_SECRET), or --key PRIVATE_KEY.pem");
    }
    return new Request(subject, subscribe, publish, admin, ttl, "HS256", auth.hs256Secret(),
      issuer != null ? issuer : auth.issuer(), audience != null ? audience : auth.audience());
  }

  public static String sign(Vertx vertx, Request request) {
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm(request.algorithm()).setBuffer(request.key())));
    JWTOptions options = new JWTOptions().setAlgorithm(request.algorithm()).setSubject(request.subject())
      .setExpiresInSeconds((int) request.ttlSeconds());
    if (request.issuer() != null) {
      options.setIssuer(request.issuer());
    }
    if (request.audience() != null) {
      options.setAudience(List.of(request.audience()));
    }
    JsonObject rights = new JsonObject().put("subscribe", new JsonArray(List.copyOf(request.subscribe())))
      .put("publish", new JsonArray(List.copyOf(request.publish()))).put("admin", request.admin());
    return signer.generateToken(new JsonObject().put("pushhub", rights), options);
  }

  /** The command: the token on stdout, or one line on stderr and status 2. */
  public static int run(String[] args) {
    Request request;
    try {
      request = parse(args);
    } catch (ConfigException e) {
      System.err.println("pushhub token: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try {
      System.out.println(sign(vertx, request));
      return 0;
    } catch (RuntimeException e) {
      System.err.println("pushhub token: cannot sign: " + e.getMessage());
      return 2;
    } finally {
      vertx.close();
    }
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new ConfigException(flag + " needs a value; " + USAGE);
    }
    return args[i];
  }

  private static String pattern(String value) {
    if (value.isEmpty()) {
      throw new ConfigException("a pattern cannot be empty");
    }
    return value;
  }

  private static long seconds(String value) {
    try {
      long ttl = Long.parseLong(value);
      if (ttl < 1 || ttl > Integer.MAX_VALUE) {
        throw new NumberFormatException();
      }
      return ttl;
    } catch (NumberFormatException e) {
      throw new ConfigException("--ttl must be a positive number of seconds, got '" + value + "'");
    }
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new ConfigException("cannot read key file " + file + ": " + e.getMessage());
    }
  }

  /** RS256 or ES256 from a PKCS#8 private key ({@code BEGIN PRIVATE KEY}). */
  static String algorithmOf(String pem) {
    if (!pem.contains("BEGIN PRIVATE KEY")) {
      throw new ConfigException("--key must be a PKCS#8 PEM private key (BEGIN PRIVATE KEY); convert with "
        + "'openssl pkcs8 -topk8 -nocrypt -in key.pem'");
    }
    String algorithm;
    try {
      algorithm = PemKeys.jwtAlgorithm(pem, true);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--key: not valid PEM");
    }
    if (algorithm == null) {
      throw new ConfigException("--key is neither an RSA nor an EC private key");
    }
    return algorithm;
  }
}
