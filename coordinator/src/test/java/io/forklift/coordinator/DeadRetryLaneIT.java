package io.forklift.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.redis.Keys;
import io.forklift.redis.Redis;
import io.forklift.testkit.RedisExtension;
import io.forklift.testkit.TestRedis;
import io.forklift.wire.DeadLetter;
import io.forklift.wire.Json;
import io.forklift.wire.RemoteError;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;

/**
 * A dead-lettered task of a capped pool runs under that pool's cap again when retried: its record
 * names the pool, and {@code forklift dead retry} puts it back in the pool's lane while the pool is
 * open, in the ready list once its client has closed it (nothing caps it any more).
 */
@ExtendWith(RedisExtension.class)
@Timeout(60)
class DeadRetryLaneIT {
    private static final String QUEUE = "jobs";

    @Test
    void aRetriedTaskGoesBackToItsOpenPoolsLaneAndToTheReadyListOnceThePoolIsClosed(TestRedis testRedis)
            throws Exception {
        String prefix = testRedis.prefix("deadlane");
        UnifiedJedis raw = testRedis.raw();
        try (Redis redis = Redis.connect(testRedis.uri(), prefix, Duration.ofSeconds(5), 2)) {
            Keys k = redis.keys();
            DeadLetters dead = new DeadLetters(redis, QUEUE);
            String pool;
            try (Forklift fl =
                    Forklift.connect(ForkliftOptions.of(testRedis.uri()).withPrefix(prefix))) {
                fl.pool(QUEUE, 2);
                pool = raw.hkeys(k.pools(QUEUE)).stream()
                        .filter(f -> !f.endsWith(":sig"))
                        .findFirst()
                        .orElseThrow();
                raw.rpush(k.dead(QUEUE), record("c1-1", pool));

                assertEquals(1, dead.retry(10, null, ForkliftOptions.DEFAULT_MESSAGE_TTL));
                assertEquals(List.of("c1-1"), raw.lrange(k.lane(QUEUE, pool), 0, -1), "back in its pool's lane");
                assertEquals(List.of(pool), raw.lrange(k.lanes(QUEUE), 0, -1), "its lane is listed");
                assertEquals(pool, raw.hget(k.poolOf(QUEUE), "c1-1"));
                assertEquals(List.of(), raw.lrange(k.ready(QUEUE), 0, -1), "not in the uncapped ready list");
            }

            raw.rpush(k.dead(QUEUE), record("c1-2", pool)); // its client closed the pool meanwhile
            assertEquals(1, dead.retry(10, null, ForkliftOptions.DEFAULT_MESSAGE_TTL));
            assertEquals(List.of("c1-2"), raw.lrange(k.ready(QUEUE), 0, -1), "a closed pool caps nothing");
            assertNull(raw.hget(k.poolOf(QUEUE), "c1-2"));
            assertEquals(List.of("c1-1"), raw.lrange(k.lane(QUEUE, pool), 0, -1));
            assertEquals(0, dead.size());
        }
    }

    @Test
    void aDeadLetterRecordNamesItsPoolOnlyWhenItHasOne() throws Exception {
        JsonNode capped = Json.MAPPER.readTree(record("c1-3", "c1.1"));
        assertEquals("c1.1", capped.get("pool").asText());
        DeadLetter uncapped = Json.MAPPER.readValue(
                "{\"id\":\"c1-4\",\"queue\":\"jobs\",\"reason\":\"failed\",\"message\":\"{}\",\"worker\":\"w\","
                        + "\"attempt\":1}",
                DeadLetter.class);
        assertNull(uncapped.pool(), "a record written before pools were named reads as uncapped");
    }

    private static String record(String id, String pool) throws Exception {
        String message = "{\"v\":2,\"id\":\"" + id + "\",\"queue\":\"" + QUEUE + "\",\"task\":\"t\",\"args\":[1]}";
        return Json.MAPPER.writeValueAsString(new DeadLetter(
                id, QUEUE, "failed", RemoteError.of(IllegalStateException.class, "boom"), message, "w1", 1, pool));
    }
}
