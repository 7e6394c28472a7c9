package io.forklift.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
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
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("forklift-bench-coordinator-", ".log");
        Process coordinator = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.forklift.cli.ForkliftCommand",
                        "coordinator",
                        "--redis",
                        uri,
                        "--prefix",
                        prefix,
                        "--id",
                        "bench-http-coordinator",
                        "--metrics-port",
                        "-1",
                        "--authkey-file",
                        authkeyFile.toString(),
                        "--http-port",
                        Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            return measure(n, "http://127.0.0.1:" + port, coordinator);
        } finally {
            coordinator.destroy();
            coordinator.waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(log);
        }
    }

    private Map<String, Object> measure(int n, String url, Process coordinator) throws Exception {
        String token =
                new io.forklift.coordinator.http.Tokens(io.forklift.wire.Authkey.fromFile(authkeyFile)).clusterToken();
        BenchHttp http = BenchHttp.to(url, token);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                http.get("/v1/whoami");
                break;
            } catch (RuntimeException notYet) {
                if (System.nanoTime() > deadline || !coordinator.isAlive()) throw notYet;
                Thread.sleep(100); // a port that is not open yet: nothing to wait on but time
            }
        }
        progress.printf("%,d concurrent long polls on coordinator pid %d …%n", n, coordinator.pid());
        long idle = rssMb(coordinator.pid());
        List<BenchHttp> clients = new ArrayList<>();
        for (int i = 0; i < n; i++)
            clients.add(http.as(http.post("/v1/clients", null).get("client").asText()));
        List<CompletableFuture<JsonNode>> polls = new ArrayList<>();
        for (BenchHttp c : clients) polls.add(c.getAsync("/v1/results?queues=bench&wait=120"));
        Thread.sleep(5000); // no count of waiters across processes: give the polls time to arrive
        long rss = rssMb(coordinator.pid());
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

    private static long rssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
        return -1;
    }
}
