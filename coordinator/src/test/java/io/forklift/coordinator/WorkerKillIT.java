package io.forklift.coordinator;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.Pool;
import io.forklift.coordinator.tasks.Recorded;
import io.forklift.redis.Redis;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.LocalWorker;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of a worker daemon mid-task: its tasks run again on the other worker once their lease
 * runs out and housekeeping requeues them; every submitted task calls back exactly once.
 */
@Tag("chaos")
@ExtendWith(RedisExtension.class)
@Timeout(180)
class WorkerKillIT {
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration INTERVAL = Duration.ofMillis(500);
    private static final int TASKS = 16;

    @Test
    void tasksOfAKilledWorkerRunElsewhereAndCallBackOnce(TestRedis redis, @TempDir Path dir) throws Exception {
        Ledger ledger = new Ledger(dir.resolve("ledger.txt"));
        List<String> common = List.of("--redis", redis.uri(), "--prefix", redis.prefix(), "--queues", "jobs",
                "--processes", "2", "--prefetch", "0", "--lease", LEASE.toString());
        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor();
        try (Redis conn = Redis.connect(redis.uri(), redis.prefix(), Duration.ofSeconds(2), 2);
             LocalWorker doomed = LocalWorker.start("doomed", dir.resolve("doomed.log"), common);
             LocalWorker survivor = LocalWorker.start("survivor", dir.resolve("survivor.log"), common);
             Forklift fl = Forklift.connect(ForkliftOptions.of(redis.uri()).withPrefix(redis.prefix()))) {
            Housekeeper housekeeper = new Housekeeper(conn, "test-coordinator", INTERVAL, 3, Duration.ofMinutes(5));
            housekeeping.scheduleWithFixedDelay(housekeeper::tick, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            Set<Long> doomedChildren = new HashSet<>(doomed.awaitChildren(conn, 2, Duration.ofSeconds(60)));
            survivor.awaitChildren(conn, 2, Duration.ofSeconds(60));

            Pool pool = fl.pool("jobs", 4);
            Map<Integer, AtomicInteger> callbacks = new ConcurrentHashMap<>();
            AtomicInteger failures = new AtomicInteger();
            for (int n = 0; n < TASKS; n++) {
                pool.applyAsync(Recorded.class, new Recorded.Arg(ledger.path(), n, 1500),
                        r -> callbacks.computeIfAbsent(r, k -> new AtomicInteger()).incrementAndGet(), e -> failures.incrementAndGet());
            }
            // Kill the worker once both of its children are inside a task.
            Ledger.await(Duration.ofSeconds(30), () -> ledger.executions().stream().filter(e -> doomedChildren.contains(e.pid())).count() >= 2);
            long killedAt = System.currentTimeMillis();
            doomed.process().destroyForcibly();
            doomed.process().waitFor();

            Ledger.await(Duration.ofSeconds(90), () -> callbacks.size() + failures.get() >= TASKS);
            pool.close();
            pool.join();

            assertEquals(0, failures.get(), "no task may fail");
            for (int n = 0; n < TASKS; n++) assertEquals(1, callbacks.get(n).get(), "callbacks of task " + n);
            List<Ledger.Execution> runs = ledger.executions();
            List<Ledger.Execution> reruns = runs.stream().filter(e -> e.attempt() == 2).toList();
            assertFalse(reruns.isEmpty(), "the killed worker's tasks ran again: " + runs);
            Set<Integer> ranTwice = new HashSet<>();
            for (Ledger.Execution e : reruns) {
                assertTrue(runs.stream().anyMatch(first -> first.n() == e.n() && first.attempt() == 1 && doomedChildren.contains(first.pid())),
                        "only tasks that were on the killed worker run again: " + e);
                assertFalse(doomedChildren.contains(e.pid()), "a rerun happens elsewhere: " + e);
                ranTwice.add(e.n());
            }
            long detectionMs = reruns.stream().mapToLong(Ledger.Execution::millis).min().orElseThrow() - killedAt;
            assertTrue(detectionMs <= LEASE.toMillis() + INTERVAL.toMillis() + 3000,
                    "requeued within lease + interval (+3 s slack): took " + detectionMs + " ms");
            System.out.printf("worker kill: %d tasks, %d re-run %s, detection %d ms, housekeeping requeued %d%n",
                    TASKS, ranTwice.size(), ranTwice, detectionMs, housekeeper.requeued());
        } finally {
            housekeeping.shutdownNow();
        }
    }

}
