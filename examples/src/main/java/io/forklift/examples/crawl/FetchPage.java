package io.forklift.examples.crawl;

import io.forklift.Task;
import io.forklift.TaskContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The crawler's task: fetches one URL in a worker's child process and returns the status and the
 * body; links are parsed by the submitting program (see {@link Crawler}). Redirects are followed by
 * hand, at most {@link #MAX_REDIRECTS}, so that a loop is reported as one instead of as an error.
 * A connection failure or timeout throws, and reaches the crawler's error callback.
 */
public final class FetchPage implements Task<String, PageResult> {
    static final int MAX_REDIRECTS = 5;
    static final int MAX_BODY_CHARS = 256 * 1024;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    // one client per child: its connections are kept alive from one task to the next
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();

    @Override
    public PageResult call(String url, TaskContext ctx) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        URI current = URI.create(url);
        List<String> redirects = new ArrayList<>();
        Set<URI> visited = new HashSet<>();
        while (true) {
            visited.add(current);
            HttpRequest request = HttpRequest.newBuilder(current)
                    .timeout(REQUEST_TIMEOUT)
                    .GET()
                    .build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            String location = response.headers().firstValue("Location").orElse(null);
            if (isRedirect(status) && location != null) {
                response.body().close();
                redirects.add(current.toString());
                URI next = current.resolve(location);
                boolean loop = visited.contains(next);
                if (loop || redirects.size() > MAX_REDIRECTS) {
                    return new PageResult(
                            url, status, null, false, redirects, loop, millisSince(t0), ctx.pid(), ctx.workerId());
                }
                current = next;
                continue;
            }
            try (InputStream in = response.body()) {
                String body = null;
                boolean truncated = false;
                String type = response.headers().firstValue("Content-Type").orElse("");
                if (status == 200 && type.startsWith("text/")) {
                    byte[] bytes = in.readNBytes(MAX_BODY_CHARS + 1);
                    truncated = bytes.length > MAX_BODY_CHARS;
                    body = new String(bytes, 0, Math.min(bytes.length, MAX_BODY_CHARS), StandardCharsets.UTF_8);
                }
                return new PageResult(
                        url, status, body, truncated, redirects, false, millisSince(t0), ctx.pid(), ctx.workerId());
            }
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
