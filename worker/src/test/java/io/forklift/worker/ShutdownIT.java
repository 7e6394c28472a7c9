package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.AsyncResult;
import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.Pool;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.tasks.Nap;
import io.forklift.worker.tasks.Square;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** SIGTERM drains a worker: running tasks finish and are delivered, children end, the daemon exits 0. */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ShutdownIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestRedis redis;
    private Forklift forklift;

    @BeforeAll
    void connect(TestRedis redis) {
        this.redis = redis;
        forklift = Forklift.connect(ForkliftOptions.of(redis.uri()).withPrefix(redis.prefix()));
    }

    @AfterAll
    void close() {
        if (forklift != null) forklift.close();
    }

    @Test
    void sigtermOnAnIdleWorkerExitsZeroAndEndsItsChildren() throws Exception {
        try (TestWorker worker = TestWorker.start(redis, "shutdown-idle-it", "shutdown-idle", 2)) {
            assertEquals(4, forklift.pool("shutdown-idle", 2).apply(Square.class, 2));
            List<Long> children = worker.children();
            assertEquals(2, children.size());

            assertEquals(0, worker.stop(), "exit status after SIGTERM; see " + worker.log());

            assertChildrenEnd(children);
            assertTrue(worker.heartbeat().isEmpty(), "heartbeat left behind: " + worker.heartbeat());
        }
    }

    @Test
    void sigtermLetsARunningTaskFinishAndDeliversItsResult() throws Exception {
        String started = redis.prefix("drain") + "started";
        try (TestWorker worker = TestWorker.start(redis, "shutdown-busy-it", "shutdown-busy", 1)) {
            Pool pool = forklift.pool("shutdown-busy", 1);
            List<Long> children = worker.children();
            AsyncResult<Integer> result =
                    pool.applyAsync(Nap.class, Nap.Plan.sleep(5, 1500).markingStartIn(redis.uri(), started));
            Await.until(WAIT, "the task started", () -> worker.raw().llen(started) == 1);

            assertEquals(0, worker.stop(), "exit status after SIGTERM; see " + worker.log());

            assertTrue(result.waitFor(Duration.ofSeconds(5)), "the running task's result was not delivered");
            assertEquals(5, result.get(Duration.ZERO));
            assertChildrenEnd(children);
        }
    }

    private static void assertChildrenEnd(List<Long> pids) throws InterruptedException {
        Await.until(
                Duration.ofSeconds(15),
                () -> "children still alive: "
                        + pids.stream().filter(ShutdownIT::alive).toList(),
                () -> pids.stream().noneMatch(ShutdownIT::alive));
        assertFalse(pids.isEmpty());
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
