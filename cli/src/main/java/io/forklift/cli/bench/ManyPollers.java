package io.forklift.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.coordinator.http.Api;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code n} clients long-polling their results at once on one coordinator, each on a connection of
 * its own: how long until all wait, this JVM's RSS while they do (the coordinator and the bench's
 * own {@code n} connections together, so an upper bound for the coordinator), and whether every one
 * is answered once its task's result comes.
 */
final class ManyPollers {
    private final BenchHttp http;
    private final Api api;
    private final PrintStream progress;

    ManyPollers(BenchHttp http, Api api, PrintStream progress) {
        this.http = http;
        this.api = api;
        this.progress = progress;
    }

    Map<String, Object> run(int n) throws Exception {
        progress.printf("%,d concurrent long polls …%n", n);
        List<BenchHttp> clients = new ArrayList<>();
        for (int i = 0; i < n; i++)
            clients.add(http.as(http.post("/v1/clients", null).get("client").asText()));
        int before = api.waiting();
        List<CompletableFuture<JsonNode>> polls = new ArrayList<>();
        for (BenchHttp c : clients) polls.add(c.getAsync("/v1/results?queues=bench&wait=120"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (api.waiting() - before < n && System.nanoTime() < deadline) Thread.sleep(10); // a count to reach
        int waiting = api.waiting() - before;
        long rss = rssMb();
        long t0 = System.nanoTime();
        for (BenchHttp c : clients) c.post("/v1/queues/bench/tasks", Map.of("task", NoOp.class.getName(), "arg", 1));
        int answered = 0;
        for (CompletableFuture<JsonNode> p : polls) {
            if (p.get(120, TimeUnit.SECONDS).get("results").size() == 1) answered++;
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("longpoll_clients", n);
        f.put("longpoll_waiting_at_once", waiting);
        f.put("longpoll_answered", answered);
        f.put("longpoll_all_answered_s", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
        f.put("longpoll_jvm_rss_mb", rss);
        return f;
    }

    private static long rssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
        return -1;
    }
}
