import io.pushhub.auth.TokenTool;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A stand-in for your application's backend: serves index.html and, on POST /token, sets the
 * cookie pushhub_token to a fresh token for the example's topics. In a real application this is
 * your session endpoint, which checks who the user is before it signs anything.
 *
 * Run from the repository root, with the hub's jar on the class path (Java runs this source file
 * directly):
 *   java -cp target/pushhub.jar examples/browser/TokenServer.java --secret SECRET \
 *        [--port 8000] [--ttl 300] [--topics 'demo/**']
 * (--port 0: any free port, printed). Options may also come from PUSHHUB_EXAMPLE_SECRET / _PORT / _TTL / _TOPICS.
 */
public class TokenServer {

  public static void main(String[] args) throws Exception {
    String secret = option(args, "--secret", "PUSHHUB_EXAMPLE_SECRET", null);
    if (secret == null) {
      System.err.println("usage: TokenServer --secret HS256_SECRET [--port 8000] [--ttl 300] [--topics 'demo/**']");
      System.exit(2);
    }
    int port = Integer.parseInt(option(args, "--port", "PUSHHUB_EXAMPLE_PORT", "8000"));
    long ttl = Long.parseLong(option(args, "--ttl", "PUSHHUB_EXAMPLE_TTL", "300"));
    List<String> topics = List.of(option(args, "--topics", "PUSHHUB_EXAMPLE_TOPICS", "demo/**").split(","));
    String page = Files.readString(Path.of(option(args, "--page", "PUSHHUB_EXAMPLE_PAGE", "examples/browser/index.html")));

    Vertx vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      if (request.path().equals("/token") && request.method().name().equals("POST")) {
        // Here your backend would check the user's session. The token may only subscribe.
        String token = TokenTool.sign(vertx, new TokenTool.Request("example-user", topics, List.of(), false, ttl,
          "HS256", secret, null, null));
        request.response().addCookie(Cookie.cookie("pushhub_token", token).setPath("/").setHttpOnly(true)
          .setSameSite(CookieSameSite.STRICT).setMaxAge(ttl)).setStatusCode(204).end();
      } else if (request.path().equals("/") || request.path().equals("/index.html")) {
        request.response().putHeader("Content-Type", "text/html; charset=utf-8").end(page);
      } else {
        request.response().setStatusCode(404).end();
      }
    }).listen(port).await();
    System.out.println("example page on http://localhost:" + server.actualPort() + "/");
  }

  private static String option(String[] args, String flag, String env, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(flag)) {
        return args[i + 1];
      }
    }
    String value = System.getenv(env);
    return value != null ? value : fallback;
  }
}
