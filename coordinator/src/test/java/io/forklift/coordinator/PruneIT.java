package io.forklift.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.forklift.redis.Keys;
import io.forklift.redis.Queues;
import io.forklift.redis.Redis;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;

/**
 * Nothing is kept forever (issue 11): housekeeping forgets a worker whose heartbeat stopped over an
 * hour ago (as one killed with kill -9 leaves it) with its fence fields in every queue, keeps live
 * workers and theirs, and caps each dead list at the newest --dead-max records.
 */
@ExtendWith(RedisExtension.class)
class PruneIT {

    @Test
    void longGoneWorkersAndTheirFencesAreForgottenAndDeadListsCapped(TestRedis testRedis) {
        String prefix = testRedis.prefix("prune");
        try (Redis redis = Redis.connect(testRedis.uri(), prefix, Duration.ofSeconds(2), 2)) {
            Keys k = redis.keys();
            UnifiedJedis raw = testRedis.raw();
            new Queues(redis).register(List.of("a", "b"));
            long now = System.currentTimeMillis();
            raw.zadd(k.workers(), now - Duration.ofHours(2).toMillis(), "killed-9");
            raw.zadd(k.workers(), now - Duration.ofMinutes(50).toMillis(), "quiet-50-min");
            raw.zadd(k.workers(), now, "live");
            for (String q : List.of("a", "b")) {
                for (String w : List.of("killed-9", "quiet-50-min", "live")) raw.hset(k.fences(q), w, "token-" + w);
            }
            List<String> records = new ArrayList<>();
            for (int i = 0; i < 25; i++) records.add("{\"id\":\"t" + i + "\",\"reason\":\"failed\"}");
            raw.rpush(k.dead("a"), records.toArray(String[]::new));
            raw.rpush(k.dead("b"), records.subList(0, 3).toArray(String[]::new));

            Housekeeper housekeeper = new Housekeeper(
                    redis,
                    "prune-it",
                    new HousekeepingConfig(Duration.ofSeconds(1), 3, Duration.ofMinutes(1), Duration.ZERO, 10),
                    null);
            housekeeper.tick();

            assertTrue(housekeeper.isLeader());
            assertEquals(List.of("quiet-50-min", "live"), raw.zrange(k.workers(), 0, -1));
            for (String q : List.of("a", "b")) {
                Map<String, String> fences = raw.hgetAll(k.fences(q));
                assertEquals(Set.of("quiet-50-min", "live"), fences.keySet(), "fences of queue " + q);
            }
            assertEquals(records.subList(15, 25), raw.lrange(k.dead("a"), 0, -1), "the newest 10 dead letters");
            assertEquals(3, raw.llen(k.dead("b")), "a dead list under the cap is left alone");
        }
    }

    @Test
    void deadMaxMustKeepAtLeastOne() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> new HousekeepingConfig(Duration.ofSeconds(1), 3, Duration.ofMinutes(1), Duration.ZERO, 0));
        assertTrue(e.getMessage().startsWith("--dead-max must be between 1 and"), e.getMessage());
    }
}
