package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.AsyncResult;
import io.forklift.Pool;
import io.forklift.RemoteTaskException;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.tasks.Explode;
import io.forklift.worker.tasks.Nap;
import io.forklift.worker.tasks.Square;
import io.forklift.worker.tasks.WhoAmI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code apply} and {@code applyAsync} against a real worker: results, readiness, the task's context. */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ApplyIT {
    private static final String QUEUE = "apply";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestRedis redis;
    private TestWorker worker;
    private Pool pool;

    @BeforeAll
    void start(TestRedis redis) throws Exception {
        this.redis = redis;
        worker = TestWorker.start(redis, "apply-it", QUEUE, 2);
        pool = worker.pool(2);
    }

    @AfterAll
    void stop() throws Exception {
        if (worker != null) worker.close();
    }

    @Test
    void applyReturnsTheResult() throws Exception {
        assertEquals(144, pool.apply(Square.class, 12));
        assertEquals(9, pool.apply(Square.class, -3));
    }

    @Test
    void applyAsyncIsReadyOnlyOnceTheTaskHasEnded() throws Exception {
        String gate = redis.prefix("gates") + "ready";
        AsyncResult<Integer> result =
                pool.applyAsync(Nap.class, Nap.Plan.sleep(7, 0).gatedBy(redis.uri(), gate));

        assertFalse(result.ready(), "ready() before the task could end");
        assertThrows(IllegalStateException.class, result::successful, "successful() before the task ended");
        assertThrows(TimeoutException.class, () -> result.get(Duration.ofMillis(300)));

        worker.raw().rpush(gate, "open");
        assertEquals(7, result.get(WAIT));
        assertTrue(result.ready());
        assertTrue(result.successful());
    }

    @Test
    void theTaskRunsInAChildOfTheWorkerAndSeesItsContext() throws Exception {
        AsyncResult<WhoAmI.Seen> result = pool.applyAsync(WhoAmI.class, 0);
        WhoAmI.Seen seen = result.get(WAIT);

        assertEquals(result.id(), seen.taskId());
        assertEquals(QUEUE, seen.queue());
        assertEquals(worker.id(), seen.workerId());
        assertEquals(1, seen.attempt());
        assertNotEquals(ProcessHandle.current().pid(), seen.pid(), "the task ran in the test's JVM");
        assertNotEquals(worker.process().pid(), seen.pid(), "the task ran in the worker daemon itself");
        assertTrue(
                worker.children().contains(seen.pid()),
                "pid " + seen.pid() + " is not among the worker's children " + worker.children());
    }

    @Test
    void applyThrowsTheRemoteFailure() throws Exception {
        RemoteTaskException e =
                assertThrows(RemoteTaskException.class, () -> pool.apply(Explode.class, "apply failed"));
        assertEquals(IllegalStateException.class.getName(), e.remoteType());
        assertEquals("apply failed", e.remoteMessage());

        AsyncResult<Void> async = pool.applyAsync(Explode.class, "async failed");
        assertThrows(RemoteTaskException.class, () -> async.get(WAIT));
        assertTrue(async.ready());
        assertFalse(async.successful());
    }
}
