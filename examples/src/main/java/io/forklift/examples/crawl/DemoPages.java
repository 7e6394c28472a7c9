package io.forklift.examples.crawl;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** What the demo site sends: a page's HTML with its links, a redirect, a status with a body. */
final class DemoPages {
    private DemoPages() {}

    /** Page {@code page} of {@code pages}, linking to {@code links} (-1: the off-site link). */
    static String html(int page, int pages, int[] links) {
        StringBuilder b = new StringBuilder(512 + 48 * links.length);
        b.append("<!doctype html>\n<html><head><title>Page ")
                .append(page)
                .append("</title></head>\n<body>\n<h1>Page ")
                .append(page)
                .append("</h1>\n<p>One of ")
                .append(pages)
                .append(" generated pages. Links are parsed by the crawler's callbacks, in the program that submitted"
                        + " the fetch.</p>\n<ul>\n");
        for (int target : links) {
            if (target < 0) {
                b.append("<li><a href=\"").append(DemoSite.OFF_SITE_LINK).append("\">elsewhere</a></li>\n");
            } else {
                b.append("<li><a href=\"/page/")
                        .append(target)
                        .append("\">page ")
                        .append(target)
                        .append("</a></li>\n");
            }
        }
        return b.append("</ul>\n</body></html>\n").toString();
    }

    static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(302, -1);
    }

    static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
