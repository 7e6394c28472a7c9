package io.forklift.coordinator.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web status page: static files shipped in the jar ({@code page/}), no data in them. The page's
 * script reads the token from the address's fragment ({@code /#token=…}, which browsers never send)
 * or asks for it, keeps it in the tab's session storage, and calls the API with it in the
 * Authorization header: another site's page can neither read the answers nor send an authorized
 * POST (no cookie is involved, and a cross-origin request with that header needs a CORS permission
 * this server never gives).
 */
final class PageRoutes implements Router.Resource {
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "page.js", "text/javascript; charset=utf-8",
            "page.css", "text/css; charset=utf-8");
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    @Override
    public void register(Router r) {
        r.get(
                "/",
                Access.PUBLIC,
                Doc.of("page", "The web status page").produces("text/html"),
                ex -> serve(ex, "index.html"));
        r.get(
                "/page/{file}",
                Access.PUBLIC,
                Doc.of("page", "The status page's script and style sheet").produces("text/plain"),
                ex -> serve(ex, ex.param("file")));
    }

    private static void serve(Exchange ex, String file) {
        String type = FILES.get(file);
        if (type == null) throw ApiException.notFound("no page file " + file);
        byte[] bytes;
        try (InputStream in = PageRoutes.class.getResourceAsStream("page/" + file)) {
            if (in == null) throw ApiException.notFound("page file " + file + " is missing from the jar");
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var h = ex.response().getHeaders();
        h.put("Content-Security-Policy", POLICY);
        h.put("X-Frame-Options", "DENY");
        h.put("Referrer-Policy", "no-referrer");
        ex.send(200, type, bytes);
    }
}
