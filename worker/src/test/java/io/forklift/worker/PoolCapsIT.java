package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.AsyncResult;
import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.Pool;
import io.forklift.redis.Queues;
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
 * A pool's cap is its own, as Python's {@code Pool(n)}: two programs, each with {@code pool(q, 3)} on
 * a cluster of 6 children (3 workers x 2), both get 3 running, and neither ever more than 3; only the
 * operator's {@code forklift queue set --max-running} limits the queue as a whole. Judged by counters
 * the tasks keep in Redis while they run (one per program, or one shared), not by Forklift's own.
 */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(240)
class PoolCapsIT {
    private static final String QUEUE = "pool-caps";
    private static final int TASKS = 12; // per program: 4 rounds of 1 s each at 3 running

    private TestRedis redis;
    private final List<TestWorker> workers = new ArrayList<>();
    private Forklift one;
    private Forklift two;

    @BeforeAll
    void start(TestRedis redis) throws Exception {
        this.redis = redis;
        for (int i = 1; i <= 3; i++) workers.add(TestWorker.start(redis, "pool-caps-" + i, QUEUE, 2));
        one = Forklift.connect(ForkliftOptions.of(redis.uri()).withPrefix(redis.prefix()));
        two = Forklift.connect(ForkliftOptions.of(redis.uri()).withPrefix(redis.prefix()));
    }

    @AfterAll
    void stop() throws Exception {
        if (one != null) one.close();
        if (two != null) two.close();
        for (TestWorker w : workers) w.close();
    }

    @Test
    void twoProgramsWithPoolsOfThreeOnSixChildrenBothGetThree() throws Exception {
        Counted.Probe first = probe("one", 1_000);
        Counted.Probe second = probe("two", 1_000);
        List<AsyncResult<Long>> results = submit(one.pool(QUEUE, 3), first);
        results.addAll(submit(two.pool(QUEUE, 3), second));
        awaitAll(results, 3);
        assertEquals("3", raw().get(first.peak()), "most tasks of the first program running at once");
        assertEquals("3", raw().get(second.peak()), "most tasks of the second program running at once");
        assertEquals(0, raw().scard(workers.get(0).redis().keys().running(QUEUE)), "tasks still counted as running");
        assertEquals(0, raw().hlen(workers.get(0).redis().keys().poolRunning(QUEUE)), "pools still counted as running");
    }

    @Test
    void theOperatorsMaxRunningLimitsBothPoolsTogether() throws Exception {
        Queues queues = new Queues(workers.get(0).redis());
        queues.setMaxRunning(QUEUE, 2, null);
        try {
            Counted.Probe both = probe("both", 1_000);
            List<AsyncResult<Long>> results = submit(one.pool(QUEUE, 3), both);
            results.addAll(submit(two.pool(QUEUE, 3), both));
            awaitAll(results, 2);
            assertEquals("2", raw().get(both.peak()), "most tasks of both programs running at once");
        } finally {
            queues.setMaxRunning(QUEUE, 0, null);
        }
    }

    private Counted.Probe probe(String name, long millis) {
        String keys = redis.prefix("pool-caps-" + name);
        return new Counted.Probe(redis.uri(), keys + "running", keys + "peak", millis);
    }

    private static List<AsyncResult<Long>> submit(Pool pool, Counted.Probe probe) {
        List<AsyncResult<Long>> results = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) results.add(pool.applyAsync(Counted.class, probe));
        return results;
    }

    /** Every task ends, and none started while {@code most} of its counter's tasks already ran. */
    private static void awaitAll(List<AsyncResult<Long>> results, int most) throws Exception {
        for (AsyncResult<Long> r : results) {
            long seen = r.get(Duration.ofSeconds(120));
            assertTrue(seen >= 1 && seen <= most, "a task started with " + seen + " running; at most " + most);
        }
    }

    private redis.clients.jedis.UnifiedJedis raw() {
        return workers.get(0).raw();
    }
}
