package io.forklift.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.AsyncResult;
import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.Pool;
import io.forklift.coordinator.tasks.Recorded;
import io.forklift.daemon.LocalWorker;
import io.forklift.redis.Keys;
import io.forklift.redis.Redis;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

/**
 * AsyncResult.cancel() of a task that is running: its lease is revoked, so the worker stops the
 * child at its next renewal (within the lease), the error callback fires once with a cancellation,
 * no result is committed, and the worker keeps serving with a fresh child.
 */
@Tag("chaos")
@ExtendWith(RedisExtension.class)
@Timeout(120)
class CancelRunningIT {
    private static final Duration LEASE = Duration.ofSeconds(3);

    @Test
    void cancellingARunningTaskStopsItsChildWithinTheLease(TestRedis testRedis, @TempDir Path dir) throws Exception {
        try (Redis redis = Redis.connect(testRedis.uri(), testRedis.prefix(), Duration.ofSeconds(2), 2);
                LocalWorker worker = LocalWorker.start(
                        "cancel-w1",
                        dir.resolve("worker.log"),
                        List.of(
                                "--redis",
                                testRedis.uri(),
                                "--prefix",
                                testRedis.prefix(),
                                "--queues",
                                "jobs",
                                "--processes",
                                "1",
                                "--prefetch",
                                "0",
                                "--lease",
                                LEASE.toString()));
                Forklift fl =
                        Forklift.connect(ForkliftOptions.of(testRedis.uri()).withPrefix(testRedis.prefix()))) {
            worker.awaitChildren(redis, 1, Duration.ofSeconds(60));
            Ledger ledger = new Ledger(dir.resolve("ledger.txt"));
            Pool pool = fl.pool("jobs", 1);
            AtomicInteger callbacks = new AtomicInteger();
            Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AsyncResult<Integer> sleeper = pool.applyAsync(
                    Recorded.class,
                    new Recorded.Arg(ledger.path(), 0, 30_000),
                    r -> callbacks.incrementAndGet(),
                    errors::add);
            Ledger.await(Duration.ofSeconds(30), () -> !ledger.executions().isEmpty());
            long child = ledger.executions().get(0).pid();
            assertTrue(
                    worker.heartbeat(redis).orElseThrow().children().contains(child),
                    "the task runs in a child of the worker");

            long cancelledAt = System.nanoTime();
            assertTrue(sleeper.cancel(), "a running task can be cancelled");
            Ledger.await(
                    LEASE,
                    () -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true)
                            && !worker.heartbeat(redis)
                                    .map(b -> b.children().contains(child))
                                    .orElse(false));
            long stoppedMs = (System.nanoTime() - cancelledAt) / 1_000_000;

            Ledger.await(Duration.ofSeconds(5), () -> !errors.isEmpty());
            assertInstanceOf(
                    CancellationException.class, errors.peek(), "the error callback gets a cancellation: " + errors);
            assertThrows(CancellationException.class, () -> sleeper.get(Duration.ofSeconds(1)));
            assertFalse(sleeper.cancel(), "a second cancel changes nothing");
            assertEquals(
                    7,
                    pool.applyAsync(Recorded.class, new Recorded.Arg(ledger.path(), 7, 0))
                            .get(Duration.ofSeconds(30)),
                    "the worker keeps serving");
            assertNotEquals(child, ledger.executions().get(1).pid(), "the next task runs in a fresh child");
            assertEquals(1, errors.size(), "one error callback: " + errors);
            assertEquals(0, callbacks.get(), "no success callback");
            assertNothingCommitted(redis, testRedis.raw(), sleeper.id());
            assertEquals(
                    1,
                    ledger.executions().stream().filter(e -> e.n() == 0).count(),
                    "the cancelled task is not run again");
            System.out.printf(
                    "cancel running: child %d stopped %d ms after cancel() (lease %d ms), 1 error callback (%s), 0 results%n",
                    child, stoppedMs, LEASE.toMillis(), errors.peek().getClass().getSimpleName());
        }
    }

    /** No result stored under the task's id in the results hashes of the minutes around now, and no key of the queue holds it. */
    private static void assertNothingCommitted(Redis redis, UnifiedJedis raw, String id) {
        Keys k = redis.keys();
        long minute = System.currentTimeMillis() / 60_000; // Redis runs on this machine: same clock
        for (long m = minute - 1; m <= minute + 1; m++) {
            assertFalse(raw.hexists(k.resultsPrefix("jobs") + m, id), "no result committed for " + id);
        }
        assertFalse(raw.hexists(k.msgs("jobs"), id), "its message is gone");
        assertFalse(raw.hexists(k.owners("jobs"), id), "its lease is gone");
        assertEquals(0, raw.llen(k.ready("jobs")), "nothing requeued");
    }
}
