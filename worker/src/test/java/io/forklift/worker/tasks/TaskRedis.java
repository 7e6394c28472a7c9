package io.forklift.worker.tasks;

import io.forklift.testkit.RawRedis;
import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

/**
 * The Redis connection a test task uses inside a child to report what it sees (counters, start and
 * finish marks) or to wait on a gate the test opens. One pool per URI per child, kept for its life.
 */
final class TaskRedis {
    private static final ConcurrentHashMap<String, UnifiedJedis> POOLS = new ConcurrentHashMap<>();

    private TaskRedis() {}

    static UnifiedJedis at(String uri) {
        return POOLS.computeIfAbsent(
                uri,
                u -> u.startsWith("redis+cluster://")
                        ? RawRedis.at(u) // the test's cluster: a client that follows slots
                        : new JedisPooled(URI.create(u)));
    }
}
