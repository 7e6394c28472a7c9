package io.forklift.cli.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.Pool;
import io.forklift.RetryPolicy;
import io.forklift.cli.PrometheusApi;
import io.forklift.cli.RepoFiles;
import io.forklift.examples.crawl.CrawlLedger;
import io.forklift.examples.crawl.CrawlSummary;
import io.forklift.examples.crawl.Crawler;
import io.forklift.examples.crawl.DemoSite;
import io.forklift.examples.crawl.FetchPage;
import io.forklift.redis.Keys;
import io.forklift.testkit.RawRedis;
import io.forklift.wire.Authkey;
import io.forklift.wire.Json;
import io.forklift.wire.TaskMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.UnifiedJedis;

/**
 * docker-compose.yml run for real, on the images docker/local-images.sh builds (docker-compose.local.yml):
 * {@code up --scale worker=3}, every health check, the crawl demo's producer (this JVM) against the
 * stack, cluster utilization read from the stack's Prometheus, {@code stop worker} mid-crawl (each
 * worker drains on SIGTERM and exits 0; by the crawler's own ledger and the queue's depth nothing is
 * lost), {@code start worker}, the crawl completes exactly, {@code down -v} leaves nothing behind.
 *
 * <p>It needs a Docker engine (DOCKER_HOST), docker-compose and the base images, as {@code .ci/run}
 * provides; without them it skips with one line saying why, unless {@code FORKLIFT_TEST_COMPOSE=required}
 * (which {@code .ci/run} sets once its engine is up) makes that a failure.
 */
@Tag("docker")
@Timeout(900)
class ComposeStackIT {
    private static final int WORKERS = 3;
    private static final int PROCESSES = 2;
    private static final int PAGES = 3000;
    private static final Duration PAGE_DELAY = Duration.ofMillis(50);
    private static final String UTILIZATION =
            "sum(rate(forklift_worker_busy_seconds_total[15s])) / sum(forklift_worker_processes)";
    private static final String MEAN_RUN_TIME =
            "sum(rate(forklift_task_run_seconds_sum[15s])) / sum(rate(forklift_task_run_seconds_count[15s]))";
    private static final Path DIR = Path.of("target/it-logs/compose-stack");

    @Test
    void theTrackedEnvFileIsRefusedUntilThePasswordsAreSet() throws Exception {
        skipUnless(
                ComposeProject.run(Duration.ofSeconds(30), null, "docker-compose", "version")
                                        .exit()
                                == 0
                        ? null
                        : "docker-compose is not installed (apt-get install docker-compose; .ci/run installs it)");
        ComposeProject project = ComposeProject.create("flrefuse", DIR.resolve("refuse"), Map.of());
        ComposeProject.Result config =
                project.compose(RepoFiles.path(".env"), Duration.ofSeconds(60), "config", "--quiet");
        assertNotEquals(0, config.exit(), "docker-compose accepted .env without passwords: " + config.output());
        assertTrue(
                config.output().contains("set FORKLIFT_REDIS_PASSWORD in .env"),
                "the refusal should say what to set: " + config.output());
    }

    @Test
    void aScaledStackCrawlsReportsUtilizationDrainsOnStopAndComesDownClean() throws Exception {
        skipUnless(ComposeProject.unavailable());
        long t0 = System.nanoTime();
        ComposeProject.run(
                        Duration.ofMinutes(10),
                        DIR.resolve("local-images.log"),
                        "bash",
                        RepoFiles.path("docker/local-images.sh").toString(),
                        "forklift")
                .orThrow("docker/local-images.sh forklift (see " + DIR.resolve("local-images.log") + ")");
        long imageMs = millisSince(t0);

        String password = secret();
        String authkey = secret();
        int redisPort = freePort();
        int prometheusPort = freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("FORKLIFT_REDIS_PASSWORD", password);
        env.put("GRAFANA_ADMIN_PASSWORD", secret());
        env.put("FORKLIFT_AUTHKEY", authkey);
        env.put("FORKLIFT_QUEUES", "crawl,tutorial,default");
        env.put("FORKLIFT_PROCESSES", Integer.toString(PROCESSES));
        env.put("FORKLIFT_WORKER_MEMORY", "1g");
        env.put("FORKLIFT_REDIS_PORT", Integer.toString(redisPort));
        env.put("PROMETHEUS_PORT", Integer.toString(prometheusPort));
        String name = "flstack" + ProcessHandle.current().pid();
        ComposeProject stack = ComposeProject.create(name, DIR, env);
        // The examples' tasks are opt-in: they run only from the workers' tasks folder, ./tasks here.
        Path examplesJar = io.forklift.examples.ExampleTasks.folder(Files.createTempDirectory("fl-examples"))
                .toFile()
                .listFiles()[0]
                .toPath();
        Path inTasks = RepoFiles.path("tasks").resolve("compose-it-" + examplesJar.getFileName());
        Files.copy(examplesJar, inTasks);
        long upStart = System.nanoTime();
        try {
            stack.compose(Duration.ofMinutes(5), "up", "-d", "--no-build", "--scale", "worker=" + WORKERS)
                    .orThrow("docker-compose up");
            long upMs = millisSince(upStart);
            Map<String, Long> healthyAt = awaitHealthy(stack, upStart);
            checkLimitsAndLoopbackPorts(stack);

            PrometheusApi prometheus = new PrometheusApi("http://127.0.0.1:" + prometheusPort);
            await(
                    Duration.ofSeconds(60),
                    "the stack's Prometheus scrapes the coordinator and " + WORKERS + " workers",
                    () -> prometheus.healthyTargets() == WORKERS + 1);

            InetAddress gateway = InetAddress.getByName(stack.gateway());
            try (DemoSite site = DemoSite.start(PAGES, 42, new DemoSite.Serving(gateway, PAGE_DELAY));
                    Forklift fl =
                            Forklift.connect(ForkliftOptions.of("redis://:" + password + "@127.0.0.1:" + redisPort)
                                    .withAuthkey(Authkey.of(List.of(authkey))))) {
                Pool pool = fl.pool("crawl", 2 * WORKERS * PROCESSES);
                Crawler crawler = new Crawler(pool, site.root(), null);
                CrawlLedger ledger = crawler.ledger();
                long crawlStart = System.nanoTime();
                CompletableFuture<CrawlSummary> crawl = CompletableFuture.supplyAsync(() -> {
                    try {
                        return crawler.crawl(Duration.ofMinutes(8));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });

                // Utilization over 15 s, once that window lies inside the crawl; the children wait on the site.
                double[] utilization = {Double.NaN};
                await(Duration.ofSeconds(90), "cluster utilization from the stack's Prometheus reaches 0.6", () -> {
                    if (crawl.isDone()) fail("the crawl ended before utilization could be read: " + ledger);
                    utilization[0] = prometheus.scalar(UTILIZATION);
                    return millisSince(crawlStart) > 20_000 && utilization[0] >= 0.6;
                });
                double meanRunMs = 1000 * prometheus.scalar(MEAN_RUN_TIME);
                String memory = stack.docker(
                                "stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}} {{.PIDs}} pids")
                        .orThrow("docker stats")
                        .output();

                // SIGTERM to every worker: each stops claiming, finishes its running fetches, gives back its
                // prefetched tasks, exits 0. What it did not run waits in the queue.
                assertTrue(ledger.unanswered() > 0 && !crawl.isDone(), "the crawl is still running: " + ledger);
                List<String> workers = stack.containers("worker");
                long stopStart = System.nanoTime();
                double ratePerSecond = ledger.answered() / ((stopStart - crawlStart) / 1e9);
                stack.compose(Duration.ofMinutes(2), "stop", "worker").orThrow("docker-compose stop worker");
                long stopMs = millisSince(stopStart);
                for (String id : workers) {
                    assertEquals("0", stack.inspect(id, "{{.State.ExitCode}}"), "exit code of worker " + id);
                }
                String queue = "max(forklift_queue_tasks{queue=\"crawl\",state=\"%s\"})";
                long[] waiting = new long[3];
                await(
                        Duration.ofSeconds(60),
                        "the queue holds exactly what the crawler submitted and got no answer for",
                        () -> {
                            waiting[0] = ledger.unanswered();
                            waiting[1] = (long) prometheus.scalar(queue.formatted("ready"));
                            waiting[2] = (long) prometheus.scalar(queue.formatted("in_flight"));
                            return waiting[0] > 0 && waiting[1] == waiting[0] && waiting[2] == 0;
                        });
                long submittedAtStop = ledger.submitted();
                long answeredAtStop = ledger.answered();
                assertEquals(0, ledger.answeredTwice(), "duplicate callbacks at the stop: " + ledger);

                stack.compose(Duration.ofMinutes(2), "start", "worker").orThrow("docker-compose start worker");
                CrawlSummary summary = crawl.get(5, TimeUnit.MINUTES);
                pool.close();

                DemoSite.Expected expected = site.expected();
                assertEquals(List.of(), summary.differencesFrom(expected), "the crawl against the stack");
                assertEquals(0, ledger.unanswered(), "submitted but never answered (lost): " + ledger);
                assertEquals(0, ledger.answeredTwice(), "answered twice (duplicate callbacks): " + ledger);
                assertEquals(expected.pages(), ledger.submitted(), "submits: " + ledger);
                assertTrue(utilization[0] <= 1.05, "utilization above 1: " + utilization[0]);

                // The workers took the authkey from .env: a message written with only the Redis password runs
                // nothing and is dead-lettered bad_signature.
                Keys keys = new Keys(ForkliftOptions.DEFAULT_PREFIX);
                try (UnifiedJedis raw = RawRedis.at("redis://:" + password + "@127.0.0.1:" + redisPort)) {
                    raw.hset(keys.msgs("crawl"), "unsigned-1", unsignedFetch("unsigned-1"));
                    raw.rpush(keys.ready("crawl"), "unsigned-1");
                    raw.rpush(keys.wake("crawl"), "1");
                    await(Duration.ofSeconds(30), "the unsigned message is dead-lettered", () -> {
                        String last = raw.lindex(keys.dead("crawl"), -1);
                        return last != null && last.contains("unsigned-1");
                    });
                    String record = raw.lindex(keys.dead("crawl"), -1);
                    assertTrue(record.contains("bad_signature"), "dead letter of the unsigned message: " + record);
                }

                System.out.printf(
                        "compose: forklift image built in %.1f s; up (redis healthy first) %.1f s; every health check passed"
                                + " after %.1f s (%s)%n",
                        imageMs / 1e3, upMs / 1e3, maxValue(healthyAt) / 1e3, seconds(healthyAt));
                System.out.printf(
                        "compose: crawl of %,d pages (%d ms each) by %d workers x %d children: %.0f pages/s before the"
                                + " stop; from the stack's Prometheus: utilization %.2f, mean fetch in a child %.0f ms;"
                                + " worker memory:%n%s",
                        expected.pages(),
                        PAGE_DELAY.toMillis(),
                        WORKERS,
                        PROCESSES,
                        ratePerSecond,
                        utilization[0],
                        meanRunMs,
                        memory.lines()
                                .filter(l -> l.contains("worker"))
                                .map(l -> "         " + l + "\n")
                                .reduce("", String::concat));
                System.out.printf(
                        "compose: stop worker took %.1f s, all exited 0; at the stop the ledger had %,d submitted, %,d"
                                + " answered, %,d waiting = %,d ready in the queue, %d in flight; after start worker: %,d"
                                + " submitted, %,d answered, 0 lost, 0 duplicates%n",
                        stopMs / 1e3,
                        submittedAtStop,
                        answeredAtStop,
                        waiting[0],
                        waiting[1],
                        waiting[2],
                        ledger.submitted(),
                        ledger.answered());
            }
        } finally {
            Files.deleteIfExists(inTasks);
            long downStart = System.nanoTime();
            stack.close();
            System.out.printf("compose: down -v took %.1f s%n", millisSince(downStart) / 1e3);
        }
        assertEquals(List.of(), stack.leftovers(), "what down -v left of project " + name);
        System.out.printf("compose: the whole run took %.1f s%n", millisSince(t0) / 1e3);
    }

    /** Waits until every container of the stack reports healthy; returns when each did, in ms after up began. */
    private static Map<String, Long> awaitHealthy(ComposeProject stack, long upStart) throws Exception {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String service : List.of("redis", "coordinator", "worker", "prometheus")) {
            List<String> containers = stack.containers(service);
            assertEquals(service.equals("worker") ? WORKERS : 1, containers.size(), service + " containers");
            for (int i = 0; i < containers.size(); i++)
                ids.put(service + (service.equals("worker") ? "-" + (i + 1) : ""), containers.get(i));
        }
        Map<String, Long> healthyAt = new LinkedHashMap<>();
        List<String> args =
                new ArrayList<>(List.of("inspect", "--format", "{{.State.Status}} {{.State.Health.Status}}"));
        args.addAll(ids.values());
        await(Duration.ofMinutes(3), "every health check passes", () -> {
            List<String> statuses = stack.docker(args.toArray(String[]::new))
                    .orThrow("docker inspect")
                    .output()
                    .lines()
                    .toList();
            int i = 0;
            for (Map.Entry<String, String> c : ids.entrySet()) {
                String status = statuses.get(i++).strip();
                if (healthyAt.containsKey(c.getKey())) continue;
                if (status.startsWith("exited") || status.endsWith("unhealthy")) {
                    fail(c.getKey() + " is " + status + "; its log: "
                            + stack.docker("logs", "--tail", "30", c.getValue()).output());
                }
                if (status.equals("running healthy")) healthyAt.put(c.getKey(), millisSince(upStart));
            }
            return healthyAt.size() == ids.size();
        });
        return healthyAt;
    }

    /** Issue 11: workers run with a memory and a process limit; every published port is on loopback. */
    private static void checkLimitsAndLoopbackPorts(ComposeProject stack) throws Exception {
        for (String id : stack.containers("worker")) {
            assertEquals(
                    Long.toString(1L << 30), stack.inspect(id, "{{.HostConfig.Memory}}"), "a worker's memory limit");
            assertEquals("1024", stack.inspect(id, "{{.HostConfig.PidsLimit}}"), "a worker's pids limit");
        }
        for (String service : List.of("redis", "prometheus")) {
            String bindings = stack.inspect(stack.containers(service).get(0), "{{json .HostConfig.PortBindings}}");
            assertTrue(bindings.contains("\"HostIp\":\"127.0.0.1\""), service + " publishes " + bindings);
            assertTrue(!bindings.contains("\"HostIp\":\"\""), service + " publishes on every interface: " + bindings);
        }
    }

    interface Check {
        boolean done() throws Exception;
    }

    private static void await(Duration timeout, String what, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.done()) {
            if (System.nanoTime() > deadline) fail("not within " + timeout + ": " + what);
            TimeUnit.MILLISECONDS.sleep(500); // polling docker and Prometheus: neither pushes events here
        }
    }

    private static void skipUnless(String unavailable) {
        if (unavailable == null) return;
        if ("required".equals(System.getenv("FORKLIFT_TEST_COMPOSE"))) {
            fail("FORKLIFT_TEST_COMPOSE=required, but " + unavailable);
        }
        System.out.println("ComposeStackIT skipped: " + unavailable);
        Assumptions.abort(unavailable);
    }

    /** A FetchPage task message as someone without the authkey would write it. */
    private static String unsignedFetch(String id) throws Exception {
        return Json.MAPPER.writeValueAsString(new TaskMessage(
                TaskMessage.VERSION,
                id,
                "crawl",
                FetchPage.class.getName(),
                Json.MAPPER.createArrayNode().add("http://127.0.0.1:9/"),
                false,
                "unsigned",
                0,
                RetryPolicy.NONE,
                System.currentTimeMillis()));
    }

    private static String secret() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static long maxValue(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private static String seconds(Map<String, Long> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(k + " " + String.format("%.1f", v / 1e3) + " s"));
        return String.join(", ", parts);
    }
}
