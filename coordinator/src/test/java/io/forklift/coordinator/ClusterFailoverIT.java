package io.forklift.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.Pool;
import io.forklift.coordinator.tasks.Recorded;
import io.forklift.daemon.LocalWorker;
import io.forklift.embedded.EmbeddedRedis;
import io.forklift.redis.Redis;
import io.forklift.testkit.EmbeddedCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the Redis Cluster master serving a queue while its tasks run and more are submitted;
 * its replica takes over, and the killed node comes back as a replica. What Forklift promises there
 * (README, "Redis Cluster"), checked with a ledger kept outside Redis: given {@code ?replicas=1} in
 * the URI (a submit returns only once a replica holds it, WAIT 1) and a submit wait longer than the
 * failover, every submitted task is acknowledged, runs at least once, and calls back exactly once
 * with its own result; no task is lost and none calls back twice. Executions may repeat (a claim or
 * a completion the dead master had not replicated is redone).
 */
@Tag("chaos")
@Timeout(300)
class ClusterFailoverIT {
    private static final String QUEUE = "failover";
    private static final int BEFORE = 150;
    private static final int DURING = 150;

    @Test
    void aMasterKilledWhileTasksRunLosesNoAcknowledgedTaskAndDoublesNoCallback(@TempDir Path dir) throws Exception {
        // a node timeout short enough for a quick failover, long enough that a loaded machine does not fake one
        try (EmbeddedCluster cluster = EmbeddedCluster.start(3, Duration.ofSeconds(2))) {
            String uri = cluster.uri() + "?replicas=1";
            String prefix = "failover:";
            Ledger ledger = new Ledger(dir.resolve("ledger.txt"));
            List<String> args = List.of(
                    "--redis", uri, "--prefix", prefix, "--queues", QUEUE, "--processes", "2", "--lease", "PT3S");
            Map<Integer, AtomicInteger> callbacks = new ConcurrentHashMap<>();
            List<String> wrongResults = new CopyOnWriteArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor();
            try (Redis redis = Redis.connect(uri, prefix, Duration.ofSeconds(2), 2);
                    LocalWorker a = LocalWorker.start("fo-a", dir.resolve("a.log"), args);
                    LocalWorker b = LocalWorker.start("fo-b", dir.resolve("b.log"), args);
                    Forklift fl = Forklift.connect(
                            ForkliftOptions.of(uri).withPrefix(prefix).withSubmitWait(Duration.ofSeconds(90)))) {
                Housekeeper housekeeper = new Housekeeper(
                        redis,
                        "fo-coordinator",
                        HousekeepingConfig.of(Duration.ofMillis(500), 5, Duration.ofMinutes(5)),
                        null);
                housekeeping.scheduleWithFixedDelay(housekeeper::tick, 0, 500, TimeUnit.MILLISECONDS);
                a.awaitChildren(redis, 2, Duration.ofSeconds(60));
                b.awaitChildren(redis, 2, Duration.ofSeconds(60));
                Pool pool = fl.pool(QUEUE, 4);
                submit(pool, ledger, 0, BEFORE, callbacks, wrongResults, failures);

                Ledger.await(Duration.ofSeconds(60), () -> ledger.executions().size() >= 40);
                EmbeddedRedis master = cluster.masterOf("{" + QUEUE + "}");
                master.kill(); // SIGKILL while tasks run
                submit(pool, ledger, BEFORE, DURING, callbacks, wrongResults, failures);
                EmbeddedRedis promoted = cluster.awaitFailover("{" + QUEUE + "}", master); // its replica took over
                assertNotEquals(master.port(), promoted.port());
                master.restart(); // back as a replica, so WAIT 1 can be met again
                cluster.awaitHealthy();

                int total = BEFORE + DURING;
                Ledger.await(Duration.ofSeconds(150), () -> callbacks.size() + failures.size() >= total);
                pool.close();
                pool.join();

                assertEquals(List.of(), failures, "submits or tasks that failed");
                assertEquals(List.of(), wrongResults, "callbacks with another task's result");
                assertEquals(total, callbacks.size(), "tasks that called back");
                List<Integer> twice = new ArrayList<>();
                callbacks.forEach((n, c) -> {
                    if (c.get() != 1) twice.add(n);
                });
                assertEquals(List.of(), twice, "tasks that called back more than once");
                Set<Integer> ran = new TreeSet<>();
                for (Ledger.Execution e : ledger.executions()) ran.add(e.n());
                assertEquals(total, ran.size(), "tasks the ledger saw run");
                long executions = ledger.executions().size();
                System.out.printf(
                        "cluster failover: %d tasks, %d executions (%d re-run), 0 lost, 0 duplicate callbacks%n",
                        total, executions, executions - total);
                assertTrue(executions >= total);
            } finally {
                housekeeping.shutdownNow();
            }
        }
    }

    private static void submit(
            Pool pool,
            Ledger ledger,
            int from,
            int count,
            Map<Integer, AtomicInteger> callbacks,
            List<String> wrongResults,
            List<Throwable> failures) {
        for (int n = from; n < from + count; n++) {
            int expected = n;
            pool.applyAsync(
                    Recorded.class,
                    new Recorded.Arg(ledger.path(), n, 20),
                    r -> {
                        if (r != expected) wrongResults.add(expected + " got " + r);
                        callbacks
                                .computeIfAbsent(expected, k -> new AtomicInteger())
                                .incrementAndGet();
                    },
                    failures::add);
        }
    }
}
