package io.forklift.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.AsyncResult;
import io.forklift.ForkliftOptions;
import io.forklift.Pool;
import io.forklift.RedisUnavailableException;
import io.forklift.coordinator.tasks.Recorded;
import io.forklift.redis.Redis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis hung (SIGSTOP) for 10 s while a worker runs tasks: submits time out with
 * {@link RedisUnavailableException} instead of hanging, everything acknowledged completes after
 * SIGCONT with one callback, and neither the worker's threads nor Redis's connections pile up.
 * Redis runs the commands it had buffered when it resumes, so round trips the worker gave up on
 * take effect late: a claim among them must neither strand tasks nor run one twice.
 */
@Tag("chaos")
@Timeout(180)
class RedisHangIT {
    private static final int TASKS = 20;
    private static final Duration HANG = Duration.ofSeconds(10);
    private static final Duration TIMEOUT = ForkliftOptions.of("redis://x").timeout();

    @Test
    void callsTimeOutAndEverythingRecoversWithoutLeaks(@TempDir Path dir) throws Exception {
        try (OwnRedis own = OwnRedis.start(dir, "hang:", 2)) {
            Ledger ledger = new Ledger(dir.resolve("ledger.txt"));
            Pool pool = own.client.pool("jobs", 2);
            Callbacks callbacks = new Callbacks();
            callbacks.submit(pool, ledger, TASKS, 300);
            Redis conn = own.conn;
            Ledger.await(
                    Duration.ofSeconds(30),
                    () -> callbacks.tasks() >= 3
                            && own.raw().hlen(conn.keys().msgs("jobs")) + callbacks.tasks() >= TASKS);
            long workerPid = own.worker.pid();
            int threadsBefore = threads(workerPid);
            long clientsBefore = connectedClients(conn);

            signal("STOP", own.server.pid());
            long stoppedAt = System.nanoTime();
            long slowestFailure = 0;
            int probes = 0;
            List<AsyncResult<Integer>> failed = new ArrayList<>();
            while (System.nanoTime() - stoppedAt < HANG.toNanos()) {
                long t0 = System.nanoTime();
                AsyncResult<Integer> probe =
                        pool.applyAsync(Recorded.class, new Recorded.Arg(ledger.path(), 1000 + probes++, 0));
                RedisUnavailableException e = assertThrows(
                        RedisUnavailableException.class,
                        () -> probe.get(TIMEOUT.multipliedBy(5)),
                        "a submit to a hung Redis times out");
                if (probes == 1) assertTrue(e.getMessage().contains("sent but not answered"), e.getMessage());
                slowestFailure = Math.max(slowestFailure, System.nanoTime() - t0);
                failed.add(probe);
                TimeUnit.MILLISECONDS.sleep(250);
            }
            signal("CONT", own.server.pid());
            long resumedAt = System.nanoTime();

            Ledger.await(Duration.ofSeconds(30), () -> callbacks.tasks() + callbacks.failures.get() >= TASKS);
            long recoveryMs = callbacks.firstAfterMillis(resumedAt);
            // Threads and connections settle once the pools have replaced what timed out.
            Ledger.await(
                    Duration.ofSeconds(20),
                    () -> threads(workerPid) <= threadsBefore + 2 && connectedClients(conn) <= clientsBefore + 2);
            int threadsAfter = threads(workerPid);
            long clientsAfter = connectedClients(conn);

            int duplicateCallbacks = callbacks.duplicates();
            List<Ledger.Execution> runs = ledger.executions();
            long duplicateExecutions = runs.stream().filter(e -> e.n() < 1000).count()
                    - runs.stream()
                            .filter(e -> e.n() < 1000)
                            .map(Ledger.Execution::n)
                            .distinct()
                            .count();
            long probesRun = runs.stream().filter(e -> e.n() >= 1000).count();
            System.out.printf(
                    "redis hung %d s: %d tasks acknowledged, %d called back, %d failed, %d duplicate executions, %d duplicate callbacks; "
                            + "%d submits during the hang all failed, slowest after %d ms (timeout %d ms), %d of them ran anyway once Redis resumed; "
                            + "recovery (SIGCONT -> first completion) %d ms; worker threads %d -> %d, Redis clients %d -> %d%n",
                    HANG.toSeconds(),
                    TASKS,
                    callbacks.tasks(),
                    callbacks.failures.get(),
                    duplicateExecutions,
                    duplicateCallbacks,
                    probes,
                    slowestFailure / 1_000_000,
                    TIMEOUT.toMillis(),
                    probesRun,
                    recoveryMs,
                    threadsBefore,
                    threadsAfter,
                    clientsBefore,
                    clientsAfter);
            assertEquals(
                    0,
                    callbacks.failures.get(),
                    "no acknowledged task may fail: " + callbacks.errors + "\n" + Files.readString(own.worker.log()));
            assertEquals(TASKS, callbacks.tasks(), "lost tasks");
            assertEquals(0, duplicateCallbacks, "duplicate callbacks: " + callbacks.byTask);
            assertEquals(0, duplicateExecutions, "each acknowledged task ran once: " + runs);
            assertTrue(slowestFailure < TIMEOUT.multipliedBy(2).toNanos(), "submits fail within 2 x the timeout");
            assertTrue(
                    recoveryMs < 10_000,
                    "the worker finishes a task within 10 s of SIGCONT, took " + recoveryMs + " ms");
        }
    }

    private static void signal(String name, long pid) throws Exception {
        assertEquals(
                0,
                new ProcessBuilder("kill", "-" + name, Long.toString(pid))
                        .inheritIO()
                        .start()
                        .waitFor());
    }

    private static int threads(long pid) throws Exception {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return (int) tasks.count();
        }
    }

    private static long connectedClients(Redis conn) {
        return Long.parseLong(
                Redis.infoField(conn.info("clients"), "connected_clients").trim());
    }
}
