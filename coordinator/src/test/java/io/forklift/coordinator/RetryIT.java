package io.forklift.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.ChildProcessDiedException;
import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.Pool;
import io.forklift.RemoteTaskException;
import io.forklift.coordinator.tasks.Flaky;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retries: a task that fails twice succeeds on its third run and calls back once; a poison task
 * that kills its child every time runs exactly max-attempts times, then is dead-lettered and its
 * error callback fires once; a pool that names which failures retry runs the others once.
 */
@Tag("chaos")
@ExtendWith(RedisExtension.class)
@Timeout(180)
class RetryIT {

    @Test
    void aFlakyTaskSucceedsOnARetryAndAPoisonTaskEndsOnTheDeadList(TestRedis redis, @TempDir Path dir)
            throws Exception {
        try (FaultCluster cluster = new FaultCluster(redis, dir);
                Forklift fl = Forklift.connect(ForkliftOptions.of(redis.uri()).withPrefix(redis.prefix()))) {
            Pool pool = fl.pool("jobs", 4).withRetries(3, Duration.ofMillis(200));
            AtomicInteger callbacks = new AtomicInteger();
            AtomicInteger errors = new AtomicInteger();
            var flaky = pool.applyAsync(
                    Flaky.class,
                    new Flaky.Arg(cluster.ledger.path(), 1, 3, false),
                    r -> callbacks.incrementAndGet(),
                    e -> errors.incrementAndGet());
            var poison = pool.applyAsync(
                    Flaky.class,
                    new Flaky.Arg(cluster.ledger.path(), 2, 99, true),
                    r -> callbacks.incrementAndGet(),
                    e -> errors.incrementAndGet());

            assertEquals(1, flaky.get(Duration.ofSeconds(60)));
            RemoteTaskException e = assertThrows(RemoteTaskException.class, () -> poison.get(Duration.ofSeconds(60)));
            assertEquals("io.forklift.ChildProcessDiedException", e.remoteType());

            List<Ledger.Execution> runs = cluster.ledger.executions();
            assertEquals(List.of(1, 2, 3), attempts(runs, 1), "flaky: " + runs);
            assertEquals(List.of(1, 2, 3), attempts(runs, 2), "poison: exactly 3 runs, no loop: " + runs);
            assertEquals(1, callbacks.get());
            assertEquals(1, errors.get());
            List<JsonNode> dead = new DeadLetters(cluster.redis, "jobs").list(10);
            assertEquals(1, dead.size());
            assertEquals("failed", dead.get(0).get("reason").asText());
            assertTrue(dead.get(0).get("error").get("message").asText().contains("exited with 1"), dead.toString());
        }
    }

    @Test
    void onlyTheFailuresAPoolNamesRetry(TestRedis redis, @TempDir Path dir) throws Exception {
        try (FaultCluster cluster = new FaultCluster(redis, dir);
                Forklift fl = Forklift.connect(ForkliftOptions.of(redis.uri()).withPrefix(redis.prefix()))) {
            Pool retrying = fl.pool("jobs", 4).withRetries(3, Duration.ofMillis(100));
            AtomicInteger callbacks = new AtomicInteger();
            AtomicInteger errors = new AtomicInteger();
            // Flaky throws IllegalStateException: excluded here, so its one failure is final
            var excluded = retrying.noRetryOn(IllegalStateException.class)
                    .applyAsync(
                            Flaky.class,
                            new Flaky.Arg(cluster.ledger.path(), 3, 99, false),
                            r -> callbacks.incrementAndGet(),
                            e -> errors.incrementAndGet());
            // ... and a RuntimeException, so a pool retrying on RuntimeException retries it
            var bySuperclass = retrying.retryOn(RuntimeException.class)
                    .applyAsync(
                            Flaky.class,
                            new Flaky.Arg(cluster.ledger.path(), 4, 3, false),
                            r -> callbacks.incrementAndGet(),
                            e -> errors.incrementAndGet());
            // a child that dies fails with ChildProcessDiedException, which is not an IOException
            var notListed = retrying.retryOn(java.io.IOException.class)
                    .applyAsync(
                            Flaky.class,
                            new Flaky.Arg(cluster.ledger.path(), 5, 99, true),
                            r -> callbacks.incrementAndGet(),
                            e -> errors.incrementAndGet());

            assertEquals(
                    "java.lang.IllegalStateException",
                    assertThrows(RemoteTaskException.class, () -> excluded.get(Duration.ofSeconds(60)))
                            .remoteType());
            assertEquals(4, bySuperclass.get(Duration.ofSeconds(60)));
            assertThrows(ChildProcessDiedException.class, () -> notListed.get(Duration.ofSeconds(60)));

            List<Ledger.Execution> runs = cluster.ledger.executions();
            assertEquals(List.of(1), attempts(runs, 3), "excluded: one run: " + runs);
            assertEquals(List.of(1, 2, 3), attempts(runs, 4), "superclass listed: three runs: " + runs);
            assertEquals(List.of(1), attempts(runs, 5), "not listed: one run: " + runs);
            assertEquals(1, callbacks.get());
            assertEquals(2, errors.get());
            List<JsonNode> dead = new DeadLetters(cluster.redis, "jobs").list(10);
            assertEquals(2, dead.size(), dead.toString());
            for (JsonNode d : dead) {
                assertEquals("failed", d.get("reason").asText());
                assertEquals(1, d.get("attempt").asInt(), d.toString());
            }
        }
    }

    private static List<Integer> attempts(List<Ledger.Execution> runs, int n) {
        return runs.stream()
                .filter(r -> r.n() == n)
                .map(Ledger.Execution::attempt)
                .toList();
    }
}
