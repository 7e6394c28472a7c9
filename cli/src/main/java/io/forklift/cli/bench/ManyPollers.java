package io.forklift.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code n} clients long-polling their results at once on one coordinator, each on a connection of
 * its own: a {@code forklift coordinator} JVM of its own (default JVM settings), so its RSS while they
 * all wait is the coordinator's alone; whether every one is answered once its task's result comes.
 */
final class ManyPollers {
    private final String uri;
    private final String prefix;
    private final Path authkeyFile;
    private final PrintStream progress;

    ManyPollers(String uri, String prefix, Path authkeyFile, PrintStream progress) {
        this.uri = uri;
        this.prefix = prefix;
        this.authkeyFile = authkeyFile;
        this.progress = progress;
    }

    Map<String, Object> run(int n) throws Exception {
        try (BenchCoordinator coordinator =
                BenchCoordinator.start(uri, prefix, authkeyFile, "bench-http-coordinator")) {
            return measure(n, coordinator);
        }
    }

    private Map<String, Object> measure(int n, BenchCoordinator coordinator) throws Exception {
        BenchHttp http = coordinator.http;
        progress.printf("%,d concurrent long polls on coordinator pid %d …%n", n, coordinator.pid());
        long idle = coordinator.rssMb();
        List<BenchHttp> clients = new ArrayList<>();
        for (int i = 0; i < n; i++)
            clients.add(http.as(http.post("/v1/clients", null).get("client").asText()));
        List<CompletableFuture<JsonNode>> polls = new ArrayList<>();
        for (BenchHttp c : clients) polls.add(c.getAsync("/v1/results?queues=bench&wait=120"));
        Thread.sleep(5000); // no count of waiters across processes: give the polls time to arrive
        long rss = coordinator.rssMb();
        long t0 = System.nanoTime();
        for (BenchHttp c : clients) c.post("/v1/queues/bench/tasks", Map.of("task", NoOp.class.getName(), "arg", 1));
        int answered = 0;
        for (CompletableFuture<JsonNode> p : polls) {
            if (p.get(120, TimeUnit.SECONDS).get("results").size() == 1) answered++;
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("longpoll_clients", n);
        f.put("longpoll_answered", answered);
        f.put("longpoll_all_answered_s", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
        f.put("coordinator_rss_idle_mb", idle);
        f.put("coordinator_rss_longpolls_mb", rss);
        return f;
    }
}
