package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.AsyncResult;
import io.forklift.Pool;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.tasks.Nap;
import io.forklift.worker.tasks.Square;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A pool and the pools derived from it ({@code withRetries}, {@code withTaskTimeout}, …) live and
 * die together, as one {@code multiprocessing.Pool}: join before close is an error, close lets every
 * task finish, terminate stops running tasks at once and fails every unsettled result once.
 */
@ExtendWith(RedisExtension.class)
@Timeout(120)
class PoolLifecycleIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void joinBeforeCloseIsAnErrorAndCloseReachesDerivedPools(TestRedis redis) throws Exception {
        try (TestWorker worker = TestWorker.start(redis, "lifecycle-close", "lifecycle-close", 2)) {
            Pool pool = worker.pool(2);
            Pool derived = pool.withRetries(3, Duration.ofMillis(10));
            assertThrows(IllegalStateException.class, pool::join);
            assertThrows(IllegalStateException.class, derived::join);

            List<AsyncResult<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Pool via = i % 2 == 0 ? pool : derived.withTaskTimeout(Duration.ofMinutes(1));
                results.add(via.applyAsync(Nap.class, Nap.Plan.sleep(i, 300)));
            }
            derived.close();
            assertThrows(IllegalStateException.class, () -> pool.applyAsync(Square.class, 2), "the parent closed too");
            pool.join(); // waits for the derived pools' tasks as well
            for (int i = 0; i < 4; i++) {
                assertTrue(results.get(i).ready(), "task " + i + " ended before join() returned");
                assertEquals(i, results.get(i).get());
            }
        }
    }

    @Test
    void terminateStopsARunningTaskAtOnceAndFailsEveryResultOnce(TestRedis redis) throws Exception {
        // A 30 s lease renews every 10 s: a stop within seconds comes from the revocation, not a renewal.
        try (TestWorker worker =
                TestWorker.start(redis, "lifecycle-terminate", "lifecycle-terminate", 1, "--lease", "PT30S")) {
            Pool pool = worker.pool(1);
            Pool derived = pool.withTaskTimeout(Duration.ofMinutes(5));
            String started = redis.prefix() + "started";
            ConcurrentHashMap<String, AtomicInteger> errorCallbacks = new ConcurrentHashMap<>();
            List<AsyncResult<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Nap.Plan plan = Nap.Plan.sleep(i, 60_000).markingStartIn(redis.uri(), started);
                results.add((i == 0 ? derived : pool)
                        .applyAsync(
                                Nap.class,
                                plan,
                                v -> {},
                                e -> errorCallbacks
                                        .computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicInteger())
                                        .incrementAndGet()));
            }
            assertTrue(worker.raw().blpop(30.0, started) != null, "the first 60 s task started");
            long child = worker.children().get(0);

            long t0 = System.nanoTime();
            pool.terminate();
            for (AsyncResult<Integer> r : results) {
                ExecutionException e = assertThrows(
                        ExecutionException.class,
                        () -> r.toCompletableFuture().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
                assertInstanceOf(CancellationException.class, e.getCause());
            }
            Await.until(
                    WAIT,
                    "the running task's child is killed",
                    () -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
            long stoppedMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf(
                    "terminate: the running 60 s task's child %d was gone %d ms after terminate()%n", child, stoppedMs);
            assertTrue(stoppedMs < 5_000, "stopped at once, not at the next renewal (10 s): " + stoppedMs + " ms");
            Await.until(
                    WAIT,
                    "every error callback ran",
                    () -> errorCallbacks.values().stream()
                                    .mapToInt(AtomicInteger::get)
                                    .sum()
                            == 4);
            assertEquals(List.of("CancellationException"), List.copyOf(errorCallbacks.keySet()));
            assertEquals(4, errorCallbacks.get("CancellationException").get(), "one error callback per task");
            assertThrows(
                    IllegalStateException.class, () -> derived.applyAsync(Square.class, 2), "terminated is closed");
            assertEquals(
                    0, worker.raw().llen(worker.redis().keys().ready("lifecycle-terminate")), "nothing left queued");
            assertFalse(worker.raw().exists(worker.redis().keys().msgs("lifecycle-terminate")), "no message left");

            assertEquals(
                    9,
                    worker.client()
                            .pool("lifecycle-terminate", 1)
                            .applyAsync(Square.class, 3)
                            .get(WAIT),
                    "the worker serves on with a fresh child");
        }
    }
}
