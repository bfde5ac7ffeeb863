package io.pushhub.admin;

import io.pushhub.http.Errors;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The operator dashboard: static files from the jar under {@code /admin/ui/}. They carry no data,
 * so they need no token; the page asks the operator for one and calls the admin API with it.
 * Mounted before {@link AdminRoutes}, whose {@code /admin/*} token check it must not reach.
 */
public final class Dashboard {

  public static final String PATH = "/admin/ui";
  static final String CSP = "default-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

  private Dashboard() {
  }

  public static void mount(Router router) {
    // Relative URLs in the page (app.js, style.css) need the trailing slash; the route matches with
    // and without one.
    router.get(PATH).handler(ctx -> {
      if (ctx.normalizedPath().equals(PATH)) {
        ctx.redirect(PATH + "/");
      } else {
        ctx.next();
      }
    });
    router.route(PATH + "/*")
      .handler(ctx -> {
        ctx.response().headers()
          .set("Content-Security-Policy", CSP)
          .set("X-Content-Type-Options", "nosniff")
          .set("Cache-Control", "no-cache");
        ctx.next();
      })
      .handler(StaticHandler.create("webroot/admin-ui").setDefaultContentEncoding("UTF-8"))
      // Whatever the files do not answer ends here, never in the admin API behind.
      .handler(ctx -> Errors.send(ctx.response(), 404, "not_found", "no such file"));
  }
}
