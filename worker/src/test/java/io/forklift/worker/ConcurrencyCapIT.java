package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.AsyncResult;
import io.forklift.Pool;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.tasks.Counted;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code fl.pool(queue, 3)} caps the pool's running tasks at 3 even on a worker with 6 idle children:
 * the tasks count themselves in Redis while they run.
 */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ConcurrencyCapIT {
    private static final String QUEUE = "capped";
    private static final int CAP = 3;
    private static final int CHILDREN = 6;

    private TestRedis redis;
    private TestWorker worker;

    @BeforeAll
    void start(TestRedis redis) throws Exception {
        this.redis = redis;
        worker = TestWorker.start(redis, "cap-it", QUEUE, CHILDREN);
    }

    @AfterAll
    void stop() throws Exception {
        if (worker != null) worker.close();
    }

    @Test
    void neverMoreThanTheCapRunAtOnceAndTheCapIsReached() throws Exception {
        Pool pool = worker.pool(CAP);
        Counted.Probe probe =
                new Counted.Probe(redis.uri(), redis.prefix("cap") + "running", redis.prefix("cap") + "peak", 1_000);

        List<AsyncResult<Long>> results = new ArrayList<>();
        // each runs 1 s, so that the cap is reached even when a loaded machine starts children slowly
        // (CI, load 15: with 150 ms tasks no more than 2 ever overlapped)
        for (int i = 0; i < 12; i++) results.add(pool.applyAsync(Counted.class, probe));
        for (AsyncResult<Long> r : results) {
            long seen = r.get(Duration.ofSeconds(60));
            assertTrue(seen >= 1 && seen <= CAP, "a task started with " + seen + " running");
        }

        assertEquals(Integer.toString(CAP), worker.raw().get(probe.peak()), "most tasks running at once");
        assertEquals("0", worker.raw().get(probe.running()), "tasks still counted as running");
    }
}
