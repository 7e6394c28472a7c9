package io.forklift.worker.tasks;

import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.JedisPooled;

/**
 * The Redis connection a test task uses inside a child to report what it sees (counters, start and
 * finish marks) or to wait on a gate the test opens. One pool per URI per child, kept for its life.
 */
final class TaskRedis {
    private static final ConcurrentHashMap<String, JedisPooled> POOLS = new ConcurrentHashMap<>();

    private TaskRedis() {}

    static JedisPooled at(String uri) {
        return POOLS.computeIfAbsent(uri, u -> new JedisPooled(URI.create(u)));
    }
}
