package io.forklift.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real {@code prometheus} (Debian's package; {@code .ci/run} installs it) scraping the given
 * targets every second, with its data in a scratch folder; queried through its HTTP API.
 */
final class PrometheusServer implements AutoCloseable {
    private final Process process;
    private final String base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Process process, String base) {
        this.process = process;
        this.base = base;
    }

    static PrometheusServer start(Path dir, int port, List<String> targets) throws IOException, InterruptedException {
        Path binary = Path.of("/usr/bin/prometheus");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(
                    "this test needs Debian's prometheus: run `apt-get install prometheus` (as .ci/run does)");
        }
        deleteTree(dir); // series left by an earlier run would count for 5 minutes
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(
                config,
                "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: forklift\n"
                        + "    static_configs:\n      - targets: ["
                        + targets.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(", ")) + "]\n");
        Process p = new ProcessBuilder(
                        binary.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        PrometheusServer server = new PrometheusServer(p, "http://127.0.0.1:" + port);
        server.awaitReady(dir.resolve("prometheus.log"));
        return server;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private void awaitReady(Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive())
                throw new IllegalStateException(
                        "prometheus exited with " + process.exitValue() + ": " + Files.readString(log));
            try {
                if (http.send(
                                        HttpRequest.newBuilder(URI.create(base + "/-/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(100); // polling its readiness endpoint
        }
        throw new IllegalStateException("prometheus was not ready within 30 s; see " + log);
    }

    /** Evaluates {@code promql} now; returns the {@code data.result} array. Throws on a query error. */
    JsonNode query(String promql) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body = Json.MAPPER.readTree(response.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new IllegalArgumentException("Prometheus rejected `" + promql + "`: "
                    + body.path("error").asText(response.body()));
        }
        return body.path("data").path("result");
    }

    /** The value of a query that returns one sample; NaN when it returns none. */
    double scalar(String promql) throws IOException, InterruptedException {
        JsonNode result = query(promql);
        return result.isEmpty()
                ? Double.NaN
                : Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    /** Number of targets scraped successfully at least once in the last 10 s (a loaded machine may miss one scrape). */
    int healthyTargets() throws IOException, InterruptedException {
        return query("max_over_time(up[10s]) == 1").size();
    }

    /** Every metric name Prometheus has stored. */
    List<String> metricNames() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/label/__name__/values"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> names = new java.util.ArrayList<>();
        Json.MAPPER.readTree(response.body()).path("data").forEach(n -> names.add(n.asText()));
        return names;
    }

    /** Each target with its health and last scrape error, for failure messages. */
    String targets() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/targets")).build(),
                HttpResponse.BodyHandlers.ofString());
        StringBuilder out = new StringBuilder();
        for (JsonNode t : Json.MAPPER.readTree(response.body()).path("data").path("activeTargets")) {
            out.append(t.path("scrapeUrl").asText())
                    .append(' ')
                    .append(t.path("health").asText())
                    .append(' ')
                    .append(t.path("lastError").asText())
                    .append("; ");
        }
        return out.toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
