package io.forklift.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.ForkliftOptions;
import io.forklift.manager.Manager;
import io.forklift.manager.ObjectStore;
import io.forklift.redis.ObjectKeys;
import io.forklift.redis.ObjectReads;
import io.forklift.redis.Redis;
import io.forklift.wire.Json;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Locks over HTTP on a coordinator JVM of its own ({@link BenchCoordinator}): uncontended acquire +
 * release pairs per second ({@link HttpBench#THREADS} clients, a lock each), then {@code n} clients
 * parked at once in {@code acquire} on one lock, each on a connection of its own, let through one by
 * one as each holder releases. Figures: pairs/s, the hand-off latency from a release's send to the
 * next holder's answer, every waiter answered in line order, and the coordinator's RSS and threads
 * idle and while they all wait.
 */
final class ManyLockers {
    private static final String P = "/v1/managers/lockers/objects/";
    private final String uri;
    private final String prefix;
    private final Path authkeyFile;
    private final PrintStream progress;

    ManyLockers(String uri, String prefix, Path authkeyFile, PrintStream progress) {
        this.uri = uri;
        this.prefix = prefix;
        this.authkeyFile = authkeyFile;
        this.progress = progress;
    }

    Map<String, Object> run(int n) throws Exception {
        Map<String, Object> f = new LinkedHashMap<>();
        try (BenchCoordinator c = BenchCoordinator.start(uri, prefix, authkeyFile, "bench-http-lockers");
                Redis redis = Redis.connect(uri, prefix, Duration.ofSeconds(2), 4);
                ObjectStore store = ObjectStore.connect(
                        uri, prefix, Duration.ofSeconds(2), ForkliftOptions.DEFAULT_MAX_PAYLOAD_BYTES)) {
            Manager m = store.manager("lockers");
            for (int t = 0; t < HttpBench.THREADS; t++) m.lock("free" + t, Duration.ofSeconds(30));
            m.lock("line", Duration.ofMinutes(10)); // its holders do not renew: the lease outlasts the run
            BenchHttp http = c.http;
            f.put("locks_coordinator_rss_idle_mb", c.rssMb());
            f.put("locks_coordinator_threads_idle", c.threads());
            progress.printf("HTTP lock acquire + release, uncontended, %d clients …%n", HttpBench.THREADS);
            BenchHttp.parallel(HttpBench.THREADS, 400, i -> pair(http, i % HttpBench.THREADS)); // warm-up
            int pairs = 4000;
            double s = BenchHttp.parallel(HttpBench.THREADS, pairs, i -> pair(http, i % HttpBench.THREADS));
            f.put("http_lock_acquire_release_pairs_s", Math.round(pairs / s));

            f.put("locks_clients", n);
            f.put("locks_coordinator_rss_after_pairs_mb", c.rssMb());
            f.put("locks_coordinator_threads_after_pairs", c.threads());
            progress.printf("%,d HTTP acquires parked on one lock, coordinator pid %d …%n", n, c.pid());
            JsonNode first = http.post(P + "line/acquire", Map.of("holder", "first"));
            Map<String, CompletableFuture<JsonNode>> calls = new HashMap<>();
            for (int i = 0; i < n; i++) calls.put("w" + i, acquire(http, "w" + i));
            ObjectReads reads = new ObjectReads(redis);
            ObjectKeys keys = redis.keys().object("lockers", "line");
            long sent = System.nanoTime(), arriveBy = sent + TimeUnit.SECONDS.toNanos(120);
            while (reads.llen(keys.line()) < n && System.nanoTime() < arriveBy) Thread.sleep(50);
            f.put("locks_all_in_line_after_s", Math.round((System.nanoTime() - sent) / 1e8) / 10.0);
            f.put("locks_coordinator_rss_waiting_mb", c.rssMb());
            f.put("locks_coordinator_threads_waiting", c.threads());
            List<String> order = new ArrayList<>();
            for (String w : reads.lrange(keys.line(), 0, -1))
                order.add(reads.hget(keys.waiting(), w).split(" ")[0]);
            f.put("locks_in_line", order.size());

            Histogram handOff = new Histogram(600_000_000L, 3);
            String holder = "first";
            long fence = first.get("fence").asLong();
            int inOrder = 0;
            for (String next : order) {
                long t0 = System.nanoTime();
                http.post(P + "line/release", Map.of("holder", holder, "fence", fence));
                JsonNode got = calls.remove(next).get(60, TimeUnit.SECONDS);
                handOff.recordValue((System.nanoTime() - t0) / 1000);
                if (got.get("acquired").asBoolean() && calls.values().stream().noneMatch(CompletableFuture::isDone))
                    inOrder++;
                holder = next;
                fence = got.get("fence").asLong();
            }
            http.post(P + "line/release", Map.of("holder", holder, "fence", fence));
            f.put("locks_granted_in_line_order", inOrder);
            f.put("locks_handoff_p50_ms", handOff.getValueAtPercentile(50) / 1000.0);
            f.put("locks_handoff_p99_ms", handOff.getValueAtPercentile(99) / 1000.0);
            f.put("locks_coordinator_rss_after_mb", c.rssMb());
        }
        return f;
    }

    private static Object pair(BenchHttp http, int lock) {
        JsonNode h = http.post(P + "free" + lock + "/acquire", Map.of("timeout", 10));
        return http.post(P + "free" + lock + "/release", Map.of("holder", h.get("holder"), "fence", h.get("fence")));
    }

    private static CompletableFuture<JsonNode> acquire(BenchHttp http, String holder) throws Exception {
        HttpRequest r = http.request(P + "line/acquire")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        Json.MAPPER.writeValueAsString(Map.of("holder", holder, "timeout", 280))))
                .timeout(Duration.ofMinutes(5))
                .build();
        return http.client()
                .sendAsync(r, HttpResponse.BodyHandlers.ofString())
                .thenApply(a -> HttpBench.json(a.body()));
    }
}
