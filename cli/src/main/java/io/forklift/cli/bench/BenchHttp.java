package io.forklift.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.wire.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** The HTTP bench's client: the JDK's HttpClient (HTTP/1.1, kept alive), a base URL, a token, a client id. */
record BenchHttp(HttpClient client, String base, String token, String clientId) {
    static BenchHttp to(String base, String token) {
        return new BenchHttp(
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build(),
                base,
                token,
                null);
    }

    BenchHttp as(String client) {
        return new BenchHttp(this.client, base, token, client);
    }

    JsonNode get(String path) {
        return send(request(path).GET().build());
    }

    JsonNode post(String path, Object body) {
        try {
            String json = body == null ? "" : Json.MAPPER.writeValueAsString(body);
            return send(request(path)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request sent without waiting: its answer's JSON when it comes. */
    CompletableFuture<JsonNode> getAsync(String path) {
        return client.sendAsync(request(path).GET().build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> check(r.statusCode(), r.body()));
    }

    /** An event stream, open; the caller reads its body. */
    HttpResponse<InputStream> stream(String path) throws IOException, InterruptedException {
        return client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(3));
        b.header("Authorization", "Bearer " + token);
        if (clientId != null) b.header("Forklift-Client", clientId);
        return b;
    }

    private JsonNode send(HttpRequest request) {
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            return check(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode check(int status, String body) {
        if (status >= 400) throw new IllegalStateException("HTTP " + status + ": " + body);
        return HttpBench.json(body);
    }

    /** Runs {@code n} calls on {@code threads} threads; the seconds from the first to the last. */
    static double parallel(int threads, int n, IntFunction<?> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            all.add(CompletableFuture.runAsync(
                    () -> {
                        for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) call.apply(i);
                    },
                    pool));
        }
        try {
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        } finally {
            pool.shutdownNow();
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
