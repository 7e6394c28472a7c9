package io.forklift.cli.bench;

import io.forklift.ForkliftOptions;
import io.forklift.manager.Manager;
import io.forklift.manager.ObjectStore;
import io.forklift.wire.Json;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * {@code n} clients blocked at once in a Manager queue's {@code get} over HTTP on one coordinator
 * JVM of its own ({@link BenchCoordinator}), each on a connection of its own: first each on a queue
 * of its own, then all on one shared queue; values are then put from Java one at a time. Figures:
 * how many were answered with a value (and how many refused, 503), the wake latency from a put to
 * its answer, and the coordinator's RSS and threads idle and while they all wait.
 */
final class ManyGetters {
    /** How long the clients are given to arrive: no count of parked calls is visible across processes. */
    private static final Duration ARRIVE = Duration.ofSeconds(5);

    private final String uri;
    private final String prefix;
    private final Path authkeyFile;
    private final PrintStream progress;

    ManyGetters(String uri, String prefix, Path authkeyFile, PrintStream progress) {
        this.uri = uri;
        this.prefix = prefix;
        this.authkeyFile = authkeyFile;
        this.progress = progress;
    }

    /** An answer and when it came. */
    private record Answered(int status, String body, long atNanos) {}

    Map<String, Object> run(int n) throws Exception {
        Map<String, Object> f = new LinkedHashMap<>();
        try (BenchCoordinator c = BenchCoordinator.start(uri, prefix, authkeyFile, "bench-http-getters");
                ObjectStore store = ObjectStore.connect(
                        uri, prefix, Duration.ofSeconds(2), ForkliftOptions.DEFAULT_MAX_PAYLOAD_BYTES)) {
            Manager m = store.manager("getters");
            for (int i = 0; i < n; i++) m.queue("own" + i, 0, Integer.class);
            m.queue("shared", 0, Integer.class);
            f.put("waits_clients", n);
            f.put("waits_coordinator_rss_idle_mb", c.rssMb());
            f.put("waits_coordinator_threads_idle", c.threads());
            progress.printf("%,d HTTP gets blocked on a queue each, coordinator pid %d …%n", n, c.pid());
            List<CompletableFuture<Answered>> own = new ArrayList<>();
            for (int i = 0; i < n; i++) own.add(get(c.http, "own" + i));
            Thread.sleep(ARRIVE.toMillis());
            f.put("waits_coordinator_rss_waiting_mb", c.rssMb());
            f.put("waits_coordinator_threads_waiting", c.threads());
            long[] put = new long[n];
            for (int i = 0; i < n; i++) {
                put[i] = System.nanoTime();
                m.queue("own" + i, 0, Integer.class).put(i);
            }
            figures(f, "waits_own_queue", own, put);

            progress.printf("%,d HTTP gets blocked on one shared queue …%n", n);
            List<CompletableFuture<Answered>> shared = new ArrayList<>();
            for (int i = 0; i < n; i++) shared.add(get(c.http, "shared"));
            Thread.sleep(ARRIVE.toMillis());
            f.put("waits_shared_coordinator_threads_waiting", c.threads());
            var q = m.queue("shared", 0, Integer.class);
            for (int i = 0; i < n; i++) {
                put[i] = System.nanoTime();
                q.put(i);
            }
            figures(f, "waits_shared_queue", shared, put);
            f.put("waits_coordinator_rss_after_mb", c.rssMb());
        }
        return f;
    }

    private static CompletableFuture<Answered> get(BenchHttp http, String queue) {
        HttpRequest r = http.request("/v1/managers/getters/objects/" + queue + "/get")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"timeout\": 120}"))
                .build();
        return http.client()
                .sendAsync(r, HttpResponse.BodyHandlers.ofString())
                .thenApply(a -> new Answered(a.statusCode(), a.body(), System.nanoTime()));
    }

    /** Answered and refused counts, and the latency from the put of the value each got to its answer. */
    private static void figures(Map<String, Object> f, String name, List<CompletableFuture<Answered>> calls, long[] put)
            throws Exception {
        Histogram wake = new Histogram(600_000_000L, 3);
        int answered = 0, refused = 0;
        java.util.Map<Integer, Integer> refusedBy = new java.util.TreeMap<>(); // status -> count
        for (CompletableFuture<Answered> call : calls) {
            Answered a = call.get(180, TimeUnit.SECONDS);
            if (a.status() == 200) {
                int value = Json.MAPPER.readTree(a.body()).get("value").asInt();
                answered++;
                wake.recordValue(Math.max(0, (a.atNanos() - put[value]) / 1000));
            } else {
                refused++;
                refusedBy.merge(a.status(), 1, Integer::sum);
                if (refused == 1) f.put(name + "_first_refused", a.status() + " " + a.body());
            }
        }
        f.put(name + "_answered", answered);
        f.put(name + "_refused", refused);
        if (refused > 0) f.put(name + "_refused_by_status", refusedBy);
        f.put(name + "_wake_p50_ms", wake.getValueAtPercentile(50) / 1000.0);
        f.put(name + "_wake_p99_ms", wake.getValueAtPercentile(99) / 1000.0);
    }
}
