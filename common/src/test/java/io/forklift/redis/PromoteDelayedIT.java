package io.forklift.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;

/**
 * promote_delayed.lua puts retries whose delay is over at the front of the ready list, the one due
 * longest first, not behind every task submitted meanwhile (issue 11: a retry "due in ~130 ms"
 * waited 27-30 s behind 1,400 runs).
 */
@ExtendWith(RedisExtension.class)
class PromoteDelayedIT {
    private static final String Q = "q";

    @Test
    void dueRetriesGoToTheFrontInDueOrderAndLaterOnesWait(TestRedis testRedis) {
        try (Redis redis = Redis.connect(testRedis.uri(), testRedis.prefix("promote"), Duration.ofSeconds(2), 1)) {
            Keys k = redis.keys();
            UnifiedJedis raw = testRedis.raw();
            long now = System.currentTimeMillis(); // Redis runs on this machine: its clock is this one
            raw.rpush(k.ready(Q), "waiting1", "waiting2", "waiting3");
            raw.zadd(k.delayed(Q), now - 1_000, "due-second");
            raw.zadd(k.delayed(Q), now - 5_000, "due-first");
            raw.zadd(k.delayed(Q), now - 300, "due-third");
            raw.zadd(k.delayed(Q), now + 60_000, "not-yet");

            long promoted = redis.run(new HousekeepingScripts(k).promoteDelayed(Q, 1000));

            assertEquals(3, promoted);
            assertEquals(
                    List.of("due-first", "due-second", "due-third", "waiting1", "waiting2", "waiting3"),
                    raw.lrange(k.ready(Q), 0, -1),
                    "claim.lua pops the front (LPOP): due retries first, the longest due first");
            assertEquals(List.of("not-yet"), raw.zrange(k.delayed(Q), 0, -1));
            assertEquals(1, raw.llen(k.wake(Q)), "a wake token for the workers");
        }
    }
}
