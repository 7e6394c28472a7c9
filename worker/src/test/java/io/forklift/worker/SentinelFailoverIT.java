package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.forklift.AsyncResult;
import io.forklift.Pool;
import io.forklift.RedisUnavailableException;
import io.forklift.testkit.EmbeddedSentinel;
import io.forklift.testkit.TestRedis;
import io.forklift.worker.tasks.Square;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker and a client given only a Sentinel's address and the master's name
 * ({@code redis+sentinel://host:port/name}) follow a failover: after kill -9 of the master and the
 * Sentinel's promotion of its replica, tasks submitted to the new master are run by the same worker
 * and their results come back.
 */
@Tag("chaos")
@Timeout(240)
class SentinelFailoverIT {

    @Test
    void aWorkerGivenSentinelAddressesServesTheReplicaPromotedAfterTheMasterIsKilled() throws Exception {
        try (EmbeddedSentinel sentinel = EmbeddedSentinel.start();
                TestWorker worker =
                        TestWorker.start(new TestRedis(sentinel.uri(), "sentinel:", null), "sentinel-w", "sq", 2)) {
            Pool pool = worker.pool(2);
            assertEquals(9, pool.apply(Square.class, 3));

            sentinel.master().kill();
            sentinel.awaitMaster(sentinel.replica());

            assertEquals(16, applyOnceRedisAnswers(pool, 4));
            assertEquals(25, pool.apply(Square.class, 5));
        }
    }

    /** Submits until a submit is accepted (the client may not have heard of the new master yet), then waits for its result. */
    private static int applyOnceRedisAnswers(Pool pool, int x) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                AsyncResult<Integer> r = pool.applyAsync(Square.class, x);
                return r.get(Duration.ofSeconds(60));
            } catch (RedisUnavailableException e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(200); // the client's pool moves to the new master when the Sentinel announces it
            }
        }
    }
}
