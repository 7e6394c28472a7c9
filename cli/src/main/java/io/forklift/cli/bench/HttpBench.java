package io.forklift.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.ForkliftOptions;
import io.forklift.coordinator.http.Api;
import io.forklift.coordinator.http.HttpServer;
import io.forklift.coordinator.http.HttpSettings;
import io.forklift.daemon.LocalAuthkey;
import io.forklift.manager.ObjectStore;
import io.forklift.manager.SharedQueue;
import io.forklift.redis.Redis;
import io.forklift.wire.Authkey;
import io.forklift.wire.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;

/**
 * {@code forklift bench --http}: the coordinator's HTTP API in this JVM against the bench's Redis and
 * worker, driven by the JDK's HTTP client over keep-alive connections: submits in batches of 100 and
 * one at a time, result lookups by id, Manager queue gets, a queue put+get round trip, how soon a
 * long poll, an event stream and a blocked queue get are answered, and 1,000 concurrent long polls
 * ({@link ManyPollers}), 1,000 concurrent blocked queue gets ({@link ManyGetters}) and lock acquire
 * figures with 1,000 parked acquirers ({@link ManyLockers}) on a coordinator JVM of its own.
 */
final class HttpBench {
    static final int THREADS = 8;
    private static final String NOOP = NoOp.class.getName();

    private final String uri;
    private final String prefix;
    private final Authkey authkey;
    private final Path authkeyFile;
    private final PrintStream progress;

    HttpBench(String uri, String prefix, LocalAuthkey key, PrintStream progress) {
        if (key == null) throw new IllegalArgumentException("--http needs the authkey; drop --no-authkey");
        this.uri = uri;
        this.prefix = prefix;
        this.authkey = key.authkey();
        this.authkeyFile = key.file();
        this.progress = progress;
    }

    /**
     * Runs {@link #run} (with {@code waitsOnly}, only {@link ManyGetters}; with {@code locksOnly},
     * only {@link ManyLockers}), prints its figures and one JSON line of them; returns the exit code.
     */
    int runAndPrint(int tasks, boolean waitsOnly, boolean locksOnly) throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        if (waitsOnly) figures.putAll(new ManyGetters(uri, prefix, authkeyFile, progress).run(1000));
        if (locksOnly) figures.putAll(new ManyLockers(uri, prefix, authkeyFile, progress).run(1000));
        if (!waitsOnly && !locksOnly) figures = run(tasks);
        figures.forEach((k, v) -> progress.printf("  %-40s %s%n", k, v));
        System.out.println(Json.MAPPER.writeValueAsString(figures));
        return 0;
    }

    Map<String, Object> run(int tasks) throws Exception {
        Map<String, Object> f = new LinkedHashMap<>();
        try (Redis redis = Redis.connect(uri, prefix, Duration.ofSeconds(2), 32);
                ObjectStore store = ObjectStore.connect(
                        uri, prefix, Duration.ofSeconds(2), ForkliftOptions.DEFAULT_MAX_PAYLOAD_BYTES);
                Api api = new Api(redis, "bench-http", authkey, Duration.ofHours(1), Duration.ofMinutes(5), store);
                HttpServer server = HttpServer.start(api, HttpSettings.local(0))) {
            BenchHttp http = BenchHttp.to(server.url(), api.tokens().clusterToken());
            http = http.as(http.post("/v1/clients", null).get("client").asText());
            BenchHttp c = http;
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = 0; i < 100; i++) batch.add(Map.of("task", NOOP, "arg", i));
            progress.println("HTTP warm-up …");
            BenchHttp.parallel(THREADS, 2000, i -> c.post("/v1/queues/unserved/tasks", Map.of("task", NOOP, "arg", i)));
            int batches = Math.max(tasks / 100, THREADS);
            progress.printf("HTTP submit: %,d batches of 100 from %d threads …%n", batches, THREADS);
            double s = BenchHttp.parallel(
                    THREADS, batches, i -> c.post("/v1/queues/unserved/batch", Map.of("tasks", batch)));
            f.put("http_submit_batch100_tasks_s", Math.round(batches * 100 / s));
            int singles = Math.max(tasks / 5, 1000);
            progress.printf("HTTP submit: %,d single tasks …%n", singles);
            s = BenchHttp.parallel(
                    THREADS, singles, i -> c.post("/v1/queues/unserved/tasks", Map.of("task", NOOP, "arg", i)));
            f.put("http_submit_single_req_s", Math.round(singles / s));
            String id = c.post("/v1/queues/unserved/tasks", Map.of("task", NOOP, "arg", 1))
                    .get("id")
                    .asText();
            progress.printf("HTTP result by id: %,d lookups …%n", singles);
            s = BenchHttp.parallel(THREADS, singles, i -> c.get("/v1/queues/unserved/results/" + id));
            f.put("http_result_get_req_s", Math.round(singles / s));

            SharedQueue<Integer> q = store.manager("bench").queue("http", 0, Integer.class);
            String qp = "/v1/managers/bench/objects/http/";
            List<Integer> fill = new ArrayList<>();
            for (int i = 0; i < singles; i++) fill.add(i);
            q.putAll(fill);
            progress.printf("HTTP queue get_nowait: %,d gets …%n", singles);
            s = BenchHttp.parallel(THREADS, singles, i -> c.post(qp + "get_nowait", Map.of()));
            f.put("http_queue_get_req_s", Math.round(singles / s));
            Histogram rt = new Histogram(60_000_000L, 3);
            for (int i = 0; i < 2000; i++) {
                long t0 = System.nanoTime();
                c.post(qp + "put", Map.of("value", i));
                c.post(qp + "get", Map.of("timeout", 5));
                if (i >= 200) rt.recordValue((System.nanoTime() - t0) / 1000);
            }
            f.put("http_queue_put_get_p50_ms", rt.getValueAtPercentile(50) / 1000.0);
            f.put("http_queue_put_get_p99_ms", rt.getValueAtPercentile(99) / 1000.0);

            progress.println("wake latency: blocked queue get, long poll, event stream …");
            Histogram wake = new Histogram(60_000_000L, 3);
            for (int i = 0; i < 300; i++) {
                CompletableFuture<JsonNode> got =
                        CompletableFuture.supplyAsync(() -> c.post(qp + "get", Map.of("timeout", 30)));
                while (api.objectsWaiting() == 0) Thread.onSpinWait();
                long t0 = System.nanoTime();
                q.put(i);
                got.get();
                wake.recordValue((System.nanoTime() - t0) / 1000);
            }
            f.put("http_queue_get_wake_p50_ms", wake.getValueAtPercentile(50) / 1000.0);
            f.put("http_queue_get_wake_p99_ms", wake.getValueAtPercentile(99) / 1000.0);
            Histogram poll = new Histogram(60_000_000L, 3);
            for (int i = 0; i < 300; i++) {
                CompletableFuture<JsonNode> got =
                        CompletableFuture.supplyAsync(() -> c.get("/v1/results?queues=bench&wait=30"));
                while (api.waiting() == 0) Thread.onSpinWait();
                long t0 = System.nanoTime();
                c.post("/v1/queues/bench/tasks", Map.of("task", NOOP, "arg", i));
                if (got.get().get("results").size() != 1) throw new IllegalStateException("long poll: " + got.get());
                poll.recordValue((System.nanoTime() - t0) / 1000);
            }
            f.put("http_longpoll_submit_to_result_p50_ms", poll.getValueAtPercentile(50) / 1000.0);
            f.put("http_longpoll_submit_to_result_p99_ms", poll.getValueAtPercentile(99) / 1000.0);
            Histogram sse = new Histogram(60_000_000L, 3);
            HttpResponse<java.io.InputStream> stream = c.stream("/v1/results/stream?queues=bench");
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                for (int i = 0; i < 300; i++) {
                    long t0 = System.nanoTime();
                    c.post("/v1/queues/bench/tasks", Map.of("task", NOOP, "arg", i));
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        if (line.startsWith("event: result")) break;
                    }
                    sse.recordValue((System.nanoTime() - t0) / 1000);
                }
            }
            f.put("http_sse_submit_to_result_p50_ms", sse.getValueAtPercentile(50) / 1000.0);
            f.put("http_sse_submit_to_result_p99_ms", sse.getValueAtPercentile(99) / 1000.0);
            f.putAll(new ManyPollers(uri, prefix, authkeyFile, progress).run(1000));
            f.putAll(new ManyGetters(uri, prefix, authkeyFile, progress).run(1000));
            f.putAll(new ManyLockers(uri, prefix, authkeyFile, progress).run(1000));
        }
        return f;
    }

    static JsonNode json(String s) {
        try {
            return s.isEmpty() ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(s);
        } catch (Exception e) {
            return Json.MAPPER.getNodeFactory().textNode(s);
        }
    }
}
