package io.forklift.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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
            for (String id : List.of("t1", "t2", "t3", "t4")) {
                redis.jedis().hset(k.msgs(Q), id, "{}");
                redis.jedis().rpush(k.ready(Q), id);
            }
            // A claim whose reply was lost: w1 holds t1..t3 and does not know it.
            assertEquals(List.of(0L, "t1", 1L, "{}", "t2", 1L, "{}", "t3", 1L, "{}"), claim(redis, 3, token(1), null));
            // w1 got t1 some other way (say, an earlier reply): it holds only that, and claims nothing now.
            assertEquals(List.of(2L), claim(redis, 0, token(2), List.of("t1")));
            assertEquals(List.of("t3", "t2", "t4"), redis.jedis().lrange(k.ready(Q), 0, -1), "given back to the front");
            assertEquals("0", redis.jedis().hget(k.attempts(Q), "t2"), "the attempt is not counted");
            assertNull(redis.jedis().hget(k.owners(Q), "t2"));
            assertEquals("1:w1", redis.jedis().hget(k.owners(Q), "t1"), "a lease it knows of stays");

            // The lost round trip's twin, run late (token 1 < 2): it gives back nothing and claims nothing.
            assertEquals(List.of(0L), claim(redis, 2, token(1), List.of()));
            assertEquals(3, redis.jedis().llen(k.ready(Q)));
            assertEquals("1:w1", redis.jedis().hget(k.owners(Q), "t1"));

            // The next round trip claims the given-back tasks again, as attempt 1.
            assertEquals(List.of(0L, "t3", 1L, "{}"), claim(redis, 1, token(3), null));
        }
    }

    private static String token(int trip) {
        return String.format("%013d%012d", 1_700_000_000_000L, trip);
    }

    private static List<?> claim(Redis redis, int count, String token, List<String> held) {
        Keys k = redis.keys();
        List<String> args = new ArrayList<>(List.of(
                Integer.toString(count),
                "w1",
                "60000",
                "1000000",
                Q,
                k.replyPrefix(Q),
                "60000",
                token,
                held == null ? "0" : "1"));
        if (held != null) args.addAll(held);
        return (List<?>) redis.run(
                Script.CLAIM,
                List.of(
                        k.ready(Q),
                        k.inflight(Q),
                        k.meta(Q),
                        k.wake(Q),
                        k.msgs(Q),
                        k.attempts(Q),
                        k.owners(Q),
                        k.dead(Q),
                        k.fences(Q)),
                args);
    }
}
