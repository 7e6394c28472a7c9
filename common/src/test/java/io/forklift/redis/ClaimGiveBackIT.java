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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;

/**
 * claim.lua after a round trip whose reply was lost: it gives back the leases the worker does not
 * know it holds (attempt not counted, front of the queue), and a round trip older than one already
 * seen from that worker, run late, neither gives back nor claims.
 */
@ExtendWith(RedisExtension.class)
class ClaimGiveBackIT {
    private static final String Q = "q";

    @Test
    void leasesAWorkerDoesNotKnowOfGoBackAndALateRoundTripChangesNothing(TestRedis testRedis) {
        try (Redis redis = Redis.connect(testRedis.uri(), testRedis.prefix("giveback"), Duration.ofSeconds(2), 2)) {
            Keys k = redis.keys();
            UnifiedJedis raw = testRedis.raw();
            for (String id : List.of("t1", "t2", "t3", "t4")) {
                raw.hset(k.msgs(Q), id, "{}");
                raw.rpush(k.ready(Q), id);
            }
            // A claim whose reply was lost: w1 holds t1..t3 and does not know it.
            assertEquals(
                    new Claimed(0, List.of(), List.of(), List.of(task("t1"), task("t2"), task("t3"))),
                    claim(redis, 3, token(1), null));
            // w1 got t1 some other way (say, an earlier reply): it holds only that, and claims nothing now.
            assertEquals(new Claimed(2, List.of(), List.of(), List.of()), claim(redis, 0, token(2), List.of("t1")));
            assertEquals(List.of("t3", "t2", "t4"), raw.lrange(k.ready(Q), 0, -1), "given back to the front");
            assertEquals("0", raw.hget(k.attempts(Q), "t2"), "the attempt is not counted");
            assertNull(raw.hget(k.owners(Q), "t2"));
            assertEquals("1:w1", raw.hget(k.owners(Q), "t1"), "a lease it knows of stays");

            // The lost round trip's twin, run late (token 1 < 2): it gives back nothing and claims nothing,
            // and says it was fenced out (which a worker that hears it takes for a namesake).
            Claimed late = claim(redis, 2, token(1), List.of());
            assertEquals(new Claimed(-1, List.of(), List.of(), List.of()), late);
            assertTrue(late.fencedOut());
            assertEquals(3, raw.llen(k.ready(Q)));
            assertEquals("1:w1", raw.hget(k.owners(Q), "t1"));

            // The next round trip claims the given-back tasks again, as attempt 1.
            assertEquals(new Claimed(0, List.of(), List.of(), List.of(task("t3"))), claim(redis, 1, token(3), null));
        }
    }

    @Test
    void failureRepliesALostReplyCarriedAreReturnedAgain(TestRedis testRedis) {
        try (Redis redis = Redis.connect(testRedis.uri(), testRedis.prefix("owedagain"), Duration.ofSeconds(2), 2)) {
            Keys k = redis.keys();
            UnifiedJedis raw = testRedis.raw();
            raw.hset(k.msgs(Q), "c1-1", "x".repeat(1_000_001)); // over the worker's limit: dropped, c1 owed a reply
            raw.rpush(k.ready(Q), "c1-1");
            Claimed lost = claim(redis, 1, token(1), null); // its reply never reaches the worker
            assertEquals(List.of("c1-1"), lost.owed().stream().map(o -> o.id()).toList());
            assertEquals(List.of(), claim(redis, 1, token(2), null).owed(), "a claim returns only what it dropped");

            Claimed next = claim(redis, 1, token(3), List.of()); // the claim after a lost reply
            assertEquals(List.of("c1-1"), next.owed().stream().map(o -> o.id()).toList(), "owed still, so again");
            assertEquals("c1", next.owed().get(0).client());
        }
    }

    private static ClaimedTask task(String id) {
        return new ClaimedTask(id, 1, true, "{}");
    }

    private static String token(int trip) {
        return String.format("%013d%012d", 1_700_000_000_000L, trip);
    }

    private static Claimed claim(Redis redis, int count, String token, List<String> held) {
        return redis.run(new TaskScripts(redis.keys())
                .claim(new Claim(
                        Q,
                        count,
                        "w1",
                        Duration.ofMinutes(1),
                        1_000_000,
                        false,
                        token,
                        null,
                        null,
                        held,
                        count,
                        List.of())));
    }
}
