package io.forklift.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.redis.TaskScripts.Claim;
import io.forklift.redis.TaskScripts.Claimed;
import io.forklift.redis.TaskScripts.ClaimedTask;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;

/** A claim parked behind a wait on a queue's wake list, against a real Redis. */
@ExtendWith(RedisExtension.class)
class WakeClaimIT {
    private static final String Q = "q";
    private static final Duration LONG = Duration.ofSeconds(10);
    private static final AtomicInteger TRIPS = new AtomicInteger();

    @Test
    void aTokenEndsTheWaitAndTheClaimRunsAfterItLeasingWhatTheSubmitStored(TestRedis testRedis) throws Exception {
        try (Redis redis = connect(testRedis, "wakeclaim-token")) {
            WakeClaim wakeClaim = new WakeClaim(redis, Q);
            CompletableFuture<Claimed> parked =
                    CompletableFuture.supplyAsync(() -> wakeClaim.await(LONG, claim(redis, 2)));
            UnifiedJedis raw = testRedis.raw();
            awaitBlocked(redis); // the claim waits in Redis: had it run now, it would have found nothing
            raw.hset(redis.keys().msgs(Q), "t1", "{}");
            raw.rpush(redis.keys().ready(Q), "t1");
            raw.rpush(redis.keys().wake(Q), "1");

            Claimed claimed = parked.get(5, TimeUnit.SECONDS);
            assertEquals(List.of(new ClaimedTask("t1", 1, true, "{}")), claimed.tasks());
            assertEquals("1:w1", raw.hget(redis.keys().owners(Q), "t1"), "leased to the worker");
            assertEquals(0, raw.llen(redis.keys().wake(Q)), "the token was taken by the wait");
        }
    }

    @Test
    void unparkEndsTheWaitAtOnceAndTheClaimStillRuns(TestRedis testRedis) throws Exception {
        try (Redis redis = connect(testRedis, "wakeclaim-unpark")) {
            WakeClaim wakeClaim = new WakeClaim(redis, Q);
            UnifiedJedis raw = testRedis.raw();
            long started = System.nanoTime();
            CompletableFuture<Claimed> parked =
                    CompletableFuture.supplyAsync(() -> wakeClaim.await(LONG, claim(redis, 1)));
            awaitBlocked(redis);
            raw.hset(redis.keys().msgs(Q), "t2", "{}");
            raw.rpush(redis.keys().ready(Q), "t2"); // ready, but no token: only the unpark ends the wait
            wakeClaim.unpark();

            Claimed claimed = parked.get(5, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - started < LONG.toNanos() / 2, "ended by the unpark, not its 10 s timeout");
            assertEquals(
                    List.of("t2"), claimed.tasks().stream().map(ClaimedTask::id).toList(), "the claim ran");
        }
    }

    @Test
    void anUnparkBeforeTheWaitBeganLetsTheNextClaimRunWithoutWaiting(TestRedis testRedis) throws Exception {
        try (Redis redis = connect(testRedis, "wakeclaim-early")) {
            WakeClaim wakeClaim = new WakeClaim(redis, Q);
            wakeClaim.unpark();
            long started = System.nanoTime();
            Claimed claimed = wakeClaim.await(LONG, claim(redis, 1));
            assertTrue(System.nanoTime() - started < LONG.toNanos() / 2, "no 10 s wait");
            assertEquals(List.of(), claimed.tasks());
            started = System.nanoTime();
            wakeClaim.await(Duration.ofMillis(500), claim(redis, 1));
            assertTrue(System.nanoTime() - started >= Duration.ofMillis(400).toNanos(), "the next one waits again");
        }
    }

    @Test
    void aScriptRedisDoesNotKnowIsReportedAsNotRun(TestRedis testRedis) {
        try (Redis redis = connect(testRedis, "wakeclaim-noscript")) {
            UnifiedJedis raw = testRedis.raw();
            raw.hset(redis.keys().msgs(Q), "t3", "{}");
            raw.rpush(redis.keys().ready(Q), "t3");
            raw.scriptFlush();
            assertNull(new WakeClaim(redis, Q).await(Duration.ofMillis(100), claim(redis, 1)));
            assertEquals(List.of("t3"), raw.lrange(redis.keys().ready(Q), 0, -1), "nothing was claimed");
        }
    }

    /** Until Redis counts a blocked client: the wait has begun. */
    private static void awaitBlocked(Redis redis) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!redis.info("clients").contains("blocked_clients:1")) {
            assertTrue(System.nanoTime() < deadline, "the wait never began");
            Thread.onSpinWait();
        }
    }

    /** Connected, with claim.lua loaded as a worker's first round trip loads it. */
    private static Redis connect(TestRedis testRedis, String name) {
        Redis redis = Redis.connect(testRedis.uri(), testRedis.prefix(name), Duration.ofSeconds(2), 3);
        redis.run(claim(redis, 0));
        return redis;
    }

    private static ScriptCall<Claimed> claim(Redis redis, int count) {
        String fence = String.format("%013d%012d", 1_700_000_000_000L, TRIPS.incrementAndGet());
        return new TaskScripts(redis.keys())
                .claim(new Claim(
                        Q,
                        count,
                        "w1",
                        Duration.ofMinutes(1),
                        1_000_000,
                        false,
                        fence,
                        null,
                        null,
                        null,
                        count,
                        List.of()));
    }
}
