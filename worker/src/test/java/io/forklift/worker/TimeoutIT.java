package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.Pool;
import io.forklift.RemoteTaskException;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.tasks.Die;
import io.forklift.worker.tasks.Square;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.util.KeyValue;

/** A task past its hard time limit fails with a timeout; its child and everything the child started are killed. */
@Tag("chaos")
@ExtendWith(RedisExtension.class)
@Timeout(120)
class TimeoutIT {

    @Test
    void aTaskPastItsTimeLimitIsStoppedWithItsProcessTree(TestRedis redis) throws Exception {
        try (TestWorker worker = TestWorker.start(redis, "timeout-w1", "slow", 1);
                Forklift fl = Forklift.connect(ForkliftOptions.of(redis.uri()).withPrefix(redis.prefix()))) {
            // 3 s: a loaded machine's child JVM may take a second to start the grandchild and reach Redis
            Pool pool = fl.pool("slow", 1).withTaskTimeout(Duration.ofSeconds(3));
            String key = redis.prefix() + "grandchildren";
            long t0 = System.nanoTime();
            var result = pool.applyAsync(Die.class, "spawn|" + redis.uri() + "|" + key);
            KeyValue<String, String> popped = worker.raw().blpop(30.0, key);
            assertNotNull(popped, "the task started its grandchild");
            long grandchild = Long.parseLong(popped.getValue());

            RemoteTaskException e = assertThrows(RemoteTaskException.class, () -> result.get(Duration.ofSeconds(30)));
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals("io.forklift.TaskTimeoutException", e.remoteType());
            assertTrue(tookMs < 12_000, "stopped soon after its 3 s limit: " + tookMs + " ms");
            Await.until(
                    Duration.ofSeconds(10),
                    "the grandchild is killed with the child",
                    () -> ProcessHandle.of(grandchild).map(p -> !p.isAlive()).orElse(true));
            assertEquals(
                    16,
                    pool.applyAsync(Square.class, 4).get(Duration.ofSeconds(60)),
                    "a fresh child takes the next task");
        }
    }

    /** Issue 11: a grandchild that double-forks and calls setsid leaves the child's tree and session. */
    @Test
    void aDoubleForkedSetsidGrandchildIsKilledAtTheTimeLimitToo(TestRedis redis) throws Exception {
        try (TestWorker worker = TestWorker.start(redis, "timeout-w2", "escape", 1);
                Forklift fl = Forklift.connect(ForkliftOptions.of(redis.uri()).withPrefix(redis.prefix()))) {
            Pool pool = fl.pool("escape", 1).withTaskTimeout(Duration.ofSeconds(3));
            String key = redis.prefix() + "escaped";
            var result = pool.applyAsync(Die.class, "escape|" + redis.uri() + "|" + key);
            KeyValue<String, String> popped = worker.raw().blpop(30.0, key);
            assertNotNull(popped, "the task started its grandchild");
            long escaped = Long.parseLong(popped.getValue());
            long child = worker.children().get(0);
            ProcessHandle grandchild = ProcessHandle.of(escaped).orElseThrow();
            assertTrue(
                    grandchild.parent().map(ProcessHandle::pid).orElse(-1L) != child
                            && ProcessHandle.of(child)
                                    .orElseThrow()
                                    .descendants()
                                    .noneMatch(p -> p.pid() == escaped),
                    "the grandchild left the child's tree");

            RemoteTaskException e = assertThrows(RemoteTaskException.class, () -> result.get(Duration.ofSeconds(30)));
            assertEquals("io.forklift.TaskTimeoutException", e.remoteType());
            Await.until(
                    Duration.ofSeconds(10),
                    "the escaped grandchild " + escaped + " is killed",
                    () -> !grandchild.isAlive());
        }
    }
}
