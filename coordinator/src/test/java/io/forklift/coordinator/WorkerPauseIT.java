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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGSTOP of a worker daemon for longer than its lease, then SIGCONT: its tasks run elsewhere, its
 * late completions are rejected (and counted in its heartbeat), every task calls back once.
 */
@Tag("chaos")
@ExtendWith(RedisExtension.class)
@Timeout(180)
class WorkerPauseIT {
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration INTERVAL = Duration.ofMillis(500);
    private static final int TASKS = 8;

    @Test
    void aWorkerPausedPastItsLeaseHasItsLateResultsRejected(TestRedis redis, @TempDir Path dir) throws Exception {
        Ledger ledger = new Ledger(dir.resolve("ledger.txt"));
        List<String> common = List.of("--redis", redis.uri(), "--prefix", redis.prefix(), "--queues", "jobs",
                "--processes", "2", "--prefetch", "0", "--lease", LEASE.toString());
        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor();
        try (Redis conn = Redis.connect(redis.uri(), redis.prefix(), Duration.ofSeconds(2), 2);
             LocalWorker paused = LocalWorker.start("paused", dir.resolve("paused.log"), common);
             LocalWorker other = LocalWorker.start("other", dir.resolve("other.log"), common);
             Forklift fl = Forklift.connect(ForkliftOptions.of(redis.uri()).withPrefix(redis.prefix()))) {
            Housekeeper housekeeper = new Housekeeper(conn, "test-coordinator", INTERVAL, 3, Duration.ofMinutes(5));
            housekeeping.scheduleWithFixedDelay(housekeeper::tick, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            Set<Long> pausedChildren = new HashSet<>(paused.awaitChildren(conn, 2, Duration.ofSeconds(60)));
            other.awaitChildren(conn, 2, Duration.ofSeconds(60));

            Pool pool = fl.pool("jobs", 4);
            Map<Integer, AtomicInteger> callbacks = new ConcurrentHashMap<>();
            AtomicInteger failures = new AtomicInteger();
            for (int n = 0; n < TASKS; n++) {
                pool.applyAsync(Recorded.class, new Recorded.Arg(ledger.path(), n, 1000),
                        r -> callbacks.computeIfAbsent(r, k -> new AtomicInteger()).incrementAndGet(), e -> failures.incrementAndGet());
            }
            Ledger.await(Duration.ofSeconds(30), () -> ledger.executions().stream().filter(e -> pausedChildren.contains(e.pid())).count() >= 1);
            signal("STOP", paused.pid());
            // Paused for twice the lease: its children finish their tasks meanwhile, but it cannot complete them.
            Ledger.await(Duration.ofSeconds(60), () -> housekeeper.requeued() >= 1);
            TimeUnit.MILLISECONDS.sleep(LEASE.toMillis()); // keep it stopped past the lease: the fault under test
            signal("CONT", paused.pid());

            Ledger.await(Duration.ofSeconds(90), () -> callbacks.size() + failures.get() >= TASKS);
            Ledger.await(Duration.ofSeconds(30), () -> Long.parseLong(paused.heartbeat(conn).getOrDefault("stale_completions", "0"))
                    + Long.parseLong(paused.heartbeat(conn).getOrDefault("leases_lost", "0")) >= 1);
            pool.close();
            pool.join();

            assertEquals(0, failures.get(), "no task may fail");
            for (int n = 0; n < TASKS; n++) assertEquals(1, callbacks.get(n).get(), "callbacks of task " + n);
            List<Ledger.Execution> reruns = ledger.executions().stream().filter(e -> e.attempt() == 2).toList();
            assertFalse(reruns.isEmpty(), "the paused worker's tasks ran again elsewhere");
            reruns.forEach(e -> assertFalse(pausedChildren.contains(e.pid()), "a rerun happens on the other worker: " + e));
            Map<String, String> beat = paused.heartbeat(conn);
            assertTrue(paused.process().isAlive(), "the paused worker keeps serving after SIGCONT");
            System.out.printf("worker pause: %d tasks, %d re-run, stale completions rejected %s, leases lost %s%n",
                    TASKS, reruns.size(), beat.get("stale_completions"), beat.get("leases_lost"));
        } finally {
            housekeeping.shutdownNow();
        }
    }

    private static void signal(String name, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor());
    }
}
