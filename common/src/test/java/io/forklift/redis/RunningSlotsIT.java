package io.forklift.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.redis.TaskScripts.Claim;
import io.forklift.redis.TaskScripts.Claimed;
import io.forklift.redis.TaskScripts.ClaimedTask;
import io.forklift.redis.TaskScripts.Completion;
import io.forklift.redis.TaskScripts.Lease;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;

/**
 * The queue's cap counts running tasks (the running set), and every way a task stops running frees
 * its slot exactly once: completion, retry, a drain's give-back, lease expiry, revocation. A
 * prefetched task holds no slot until a run of its worker passes one on or a claim grants one.
 */
@ExtendWith(RedisExtension.class)
class RunningSlotsIT {
    private static final String Q = "q";
    private static final Duration LEASE = Duration.ofMinutes(1);

    private Redis redis;
    private UnifiedJedis raw;
    private Keys k;
    private TaskScripts scripts;
    private int trip;

    @Test
    void prefetchedTasksHoldNoSlotAndEveryEndFreesItsSlotOnce(TestRedis testRedis) throws Exception {
        try (Redis r = open(testRedis, "slots")) {
            raw.hset(k.meta(Q), "concurrency", "2");
            for (String id : List.of("t1", "t2", "t3", "t4", "t5", "t6")) {
                raw.hset(k.msgs(Q), id, "{}");
                raw.rpush(k.ready(Q), id);
            }

            // w1 has one idle child and room to prefetch two: one slot, two tasks without.
            Claimed w1 = claim("w1", 3, 1, List.of());
            assertEquals(List.of(task("t1", true), task("t2", false), task("t3", false)), w1.tasks());
            assertEquals(Set.of("t1"), running());

            // w2's two idle children: one slot is left, so one task; the other child gets none to hold.
            Claimed w2 = claim("w2", 2, 2, List.of());
            assertEquals(List.of(task("t4", true)), w2.tasks());
            assertEquals(Set.of("t1", "t4"), running());

            // The cap is full: a prefetched task asking for a slot is refused, and stays leased to w1.
            Claimed refused = claim("w1", 0, 0, List.of(new Lease("t2", 1)));
            assertEquals(List.of(), refused.granted());

            // t1 ends on w1's child, which starts t2 at once: the slot passes on in one call.
            assertEquals(List.of(), complete("w1", List.of(new Lease("t2", 1)), done("t1")));
            assertEquals(Set.of("t2", "t4"), running());

            // A retry frees its slot too; then w1's t3 asks and is granted it.
            assertEquals(List.of(), complete("w1", List.of(), retry("t2")));
            assertEquals(Set.of("t4"), running());
            assertEquals(
                    List.of("t3"),
                    claim("w1", 0, 0, List.of(new Lease("t3", 1))).granted());
            assertEquals(Set.of("t3", "t4"), running());

            // A stale start (a lease w1 does not hold) is not counted.
            complete("w1", List.of(new Lease("t4", 1)), List.of());
            assertEquals(Set.of("t3", "t4"), running());

            // A drain gives t3 back; a revocation takes t4: both slots are free, and freeing again changes nothing.
            assertEquals(1L, redis.run(scripts.release(Q, "w1", List.of(new Lease("t3", 1)))));
            redis.run(scripts.revoke(Q, List.of("t4")));
            assertEquals(Set.of(), running());
            redis.run(scripts.release(Q, "w1", List.of(new Lease("t3", 1))));
            assertEquals(Set.of(), running());

            // A lease that runs out frees its slot when housekeeping requeues the task.
            Claimed shortLease = redis.run(scripts.claim(new Claim(
                    Q, 1, "w3", Duration.ofMillis(1), 1_000_000, false, token(), null, null, null, 1, List.of())));
            assertEquals(1, shortLease.tasks().size());
            assertEquals(1, running().size());
            HousekeepingScripts housekeeping = new HousekeepingScripts(k);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (redis.run(housekeeping.requeueExpired(Q, 5, 100)).total() == 0) {
                assertTrue(System.nanoTime() < deadline, "the 1 ms lease was not requeued within 10 s");
            }
            assertEquals(Set.of(), running());
            assertFalse(raw.exists(k.running(Q)), "nothing is left counted");
        }
    }

    @Test
    void aCappedPoolCountsEachOfItsRunningTasksOnceHoweverOftenItIsReportedStarted(TestRedis testRedis) {
        try (Redis r = open(testRedis, "pool-slots")) {
            // p1, of capped pool A, is leased to w1 and holds a slot (as a claim leaves it).
            raw.hset(k.msgs(Q), "p1", "{}");
            raw.hset(k.owners(Q), "p1", "1:w1");
            raw.hset(k.attempts(Q), "p1", "1");
            raw.hset(k.poolOf(Q), "p1", "A");
            raw.sadd(k.running(Q), "p1");
            raw.hset(k.poolRunning(Q), "A", "1");

            // Reported started again (a passed slot), then asked a slot for again (a grant whose reply was lost).
            complete("w1", List.of(new Lease("p1", 1)), List.of());
            assertEquals("1", raw.hget(k.poolRunning(Q), "A"), "a start of a task already running");
            assertEquals(
                    List.of("p1"),
                    claim("w1", 0, 0, List.of(new Lease("p1", 1))).granted());
            assertEquals("1", raw.hget(k.poolRunning(Q), "A"), "a grant to a task already running");

            // Its end frees the pool's one slot: nothing is left counted.
            complete("w1", List.of(), done("p1"));
            assertEquals(Set.of(), running());
            assertFalse(raw.exists(k.poolRunning(Q)), "pool A still counted as running");
        }
    }

    /** Connects under its own prefix and sets this test's fields to that connection. */
    private Redis open(TestRedis testRedis, String name) {
        redis = Redis.connect(testRedis.uri(), testRedis.prefix(name), Duration.ofSeconds(2), 2);
        raw = testRedis.raw();
        k = redis.keys();
        scripts = new TaskScripts(k);
        return redis;
    }

    private Set<String> running() {
        return raw.smembers(k.running(Q));
    }

    private static ClaimedTask task(String id, boolean slotted) {
        return new ClaimedTask(id, 1, slotted, "{}");
    }

    private String token() {
        return String.format("%013d%012d", 1_700_000_000_000L, ++trip);
    }

    private Claimed claim(String worker, int count, int starts, List<Lease> asks) {
        return redis.run(scripts.claim(
                new Claim(Q, count, worker, LEASE, 1_000_000, false, token(), null, null, null, starts, asks)));
    }

    private List<String> complete(String worker, List<Lease> started, List<Completion> runs) {
        return redis.run(scripts.complete(Q, worker, Duration.ofMinutes(1), started, runs));
    }

    private static List<Completion> done(String id) {
        return List.of(new Completion(id, 1, null, "{}", null, -1, 0));
    }

    private static List<Completion> retry(String id) {
        return List.of(new Completion(id, 1, null, "{}", null, 60_000, 0));
    }
}
