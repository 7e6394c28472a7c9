package io.forklift.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.AsyncResult;
import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.Pool;
import io.forklift.cli.DashboardQueries;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Grafana dashboard against real processes: {@code forklift local}'s coordinator and two worker
 * JVMs serve /metrics, a real Prometheus scrapes them, and every PromQL expression of the dashboard
 * returns data. Cluster utilization reads at least 0.9 while every child sleeps in a task and at
 * most 0.1 once they are idle.
 */
@ExtendWith(RedisExtension.class)
@Timeout(240)
class MetricsDashboardIT {
    private static final int WORKERS = 2;
    private static final int PROCESSES = 2;
    private static final Duration WINDOW = Duration.ofSeconds(10); // stands in for Grafana's $__rate_interval
    private static final Path DIR = Path.of("target/it-logs/metrics-dashboard");

    @Test
    void everyDashboardQueryReturnsDataAndUtilizationFollowsTheLoad(TestRedis redis) throws Exception {
        int base = freePortRun(WORKERS + 2);
        String prefix = redis.prefix("metrics");
        LocalCluster cluster = new LocalCluster(new LocalSettings(
                redis.uri(), prefix, WORKERS, PROCESSES, List.of("default"), DIR.resolve("logs"), true, false, base));
        List<String> targets = new ArrayList<>();
        for (int i = 0; i <= WORKERS; i++) targets.add("127.0.0.1:" + (base + i));
        try (cluster;
                PrometheusServer prometheus =
                        PrometheusServer.start(DIR.resolve("prometheus"), base + WORKERS + 1, targets);
                Forklift fl = Forklift.connect(
                        ForkliftOptions.of(redis.uri()).withPrefix(prefix).withAuthkey(cluster.authkey()));
                Pool pool = fl.pool("default", 4 * WORKERS * PROCESSES)) {
            cluster.start();
            try {
                await(
                        "Prometheus scrapes all " + targets.size() + " targets",
                        () -> prometheus.api().healthyTargets() == targets.size());
            } catch (AssertionError e) {
                fail(e.getMessage() + ": " + prometheus.api().targets());
            }

            // One task that dead-letters (an unknown name), so the dead-letter series exist too.
            AsyncResult<JsonNode> unknown = pool.applyAsync("com.example.NoSuchTask", 1, r -> {}, e -> {});
            // Every child sleeps for 25 s: two waves of naps for 4 children. The pool's cap counts
            // prefetched tasks too, so it is set well above the children, or one worker could lease them all.
            List<AsyncResult<Long>> naps = new ArrayList<>();
            for (int i = 0; i < 2 * WORKERS * PROCESSES; i++) naps.add(pool.applyAsync(Nap.class, 12_500L));
            String utilization = clusterUtilization();

            TimeUnit.SECONDS.sleep(WINDOW.toSeconds() + 4); // the rate window fills with busy seconds
            double busy = prometheus.api().scalar(utilization);
            System.out.printf("cluster utilization while every child sleeps: %.3f  (%s)%n", busy, utilization);
            assertTrue(
                    busy >= 0.9,
                    "utilization under full load was " + busy + ", expected >= 0.9: " + utilization
                            + "; children by state: " + prometheus.api().query("forklift_worker_children")
                            + "; busy seconds per second: "
                            + prometheus
                                    .api()
                                    .query("rate(forklift_worker_busy_seconds_total[" + WINDOW.toSeconds() + "s])"));

            for (AsyncResult<Long> nap : naps) assertEquals(12_500L, nap.get(Duration.ofSeconds(60)));
            assertTrue(unknown.waitFor(Duration.ofSeconds(30)) && !unknown.successful(), "the unknown task fails");
            TimeUnit.SECONDS.sleep(2); // one more scrape after the last task

            List<String> empty = new ArrayList<>();
            for (DashboardQueries.Query q : DashboardQueries.queries(DashboardQueries.dashboard())) {
                String expr = DashboardQueries.resolve(q.expr(), WINDOW);
                JsonNode result = prometheus.api().query(expr);
                System.out.printf(
                        "  %-36s %s  -> %s%n",
                        q.panel(), expr, result.size() == 0 ? "NO DATA" : result.size() + " series");
                if (result.isEmpty()) empty.add(q.panel() + ": " + expr);
            }
            if (!empty.isEmpty()) fail("dashboard queries that returned no data:\n  " + String.join("\n  ", empty));
            checkContract(prometheus);

            TimeUnit.SECONDS.sleep(WINDOW.toSeconds() + 2); // the window now holds only idle time
            double idle = prometheus.api().scalar(utilization);
            System.out.printf("cluster utilization when idle: %.3f%n", idle);
            assertTrue(idle <= 0.1, "utilization when idle was " + idle + ", expected <= 0.1");
        }
    }

    /**
     * The metrics contract both ways: each metric of {@link DashboardQueries#METRICS} has series with
     * exactly its labels, and every forklift metric the processes export is in the contract (a
     * histogram's _count, _sum and _max go with its _bucket).
     */
    private static void checkContract(PrometheusServer prometheus) throws Exception {
        for (var metric : DashboardQueries.METRICS.entrySet()) {
            JsonNode series = prometheus.api().query(metric.getKey());
            assertTrue(series.size() > 0, "no series of " + metric.getKey());
            for (JsonNode s : series) {
                java.util.Set<String> labels = new java.util.TreeSet<>();
                s.path("metric").fieldNames().forEachRemaining(labels::add);
                labels.removeAll(List.of("__name__", "instance", "job"));
                assertEquals(new java.util.TreeSet<>(metric.getValue()), labels, "labels of " + metric.getKey());
            }
        }
        for (String name : prometheus.api().metricNames()) {
            if (!name.startsWith("forklift_")) continue;
            String histogram = name.replaceFirst("_(count|sum|max)$", "_bucket");
            assertTrue(
                    DashboardQueries.METRICS.containsKey(name) || DashboardQueries.METRICS.containsKey(histogram),
                    name + " is exported but not in the metrics contract (DashboardQueries.METRICS, README)");
        }
    }

    /** The dashboard's cluster utilization query, from busy seconds, with the test's rate window. */
    private static String clusterUtilization() {
        return DashboardQueries.queries(DashboardQueries.dashboard()).stream()
                .filter(q -> q.panel().equals("Cluster utilization") && q.expr().contains("busy_seconds_total"))
                .map(q -> DashboardQueries.resolve(q.expr(), WINDOW))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "the dashboard has no 'Cluster utilization' panel computed from busy seconds"));
    }

    /** The first of {@code n} consecutive free ports, the coordinator's, the workers' and Prometheus'. */
    private static int freePortRun(int n) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20_000 + (int) (Math.random() * 20_000);
            if (allFree(base, n)) return base;
        }
        throw new IOException("no run of " + n + " free ports found between 20000 and 40000");
    }

    private static boolean allFree(int base, int n) {
        for (int p = base; p < base + n; p++) {
            try (ServerSocket s = new ServerSocket(p)) {
                s.setReuseAddress(true);
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) fail("timed out waiting until " + what);
            TimeUnit.MILLISECONDS.sleep(250); // polling Prometheus: it has no push notification
        }
    }
}
