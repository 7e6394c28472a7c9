package io.forklift.cli.local;

import io.forklift.cli.PrometheusApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real {@code prometheus} (Debian's package; {@code .ci/run} installs it) scraping the given
 * targets every second, with its data in a scratch folder; queried through its HTTP API.
 */
final class PrometheusServer implements AutoCloseable {
    private final Process process;
    private final PrometheusApi api;

    private PrometheusServer(Process process, String base) {
        this.process = process;
        this.api = new PrometheusApi(base);
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
            if (api.ready()) return;
            TimeUnit.MILLISECONDS.sleep(100); // polling its readiness endpoint
        }
        throw new IllegalStateException("prometheus was not ready within 30 s; see " + log);
    }

    /** Its HTTP API: queries, targets, metric names. */
    PrometheusApi api() {
        return api;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
