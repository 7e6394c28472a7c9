package io.forklift.testkit;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

/**
 * A plain Jedis connection for tests that write or inspect keys around Forklift's own Redis layer
 * (bad input pushed straight into a queue, CONFIG SET, CLIENT KILL, SCRIPT FLUSH): product code
 * reaches Redis only through {@code io.forklift.redis}. One pool per URI, closed at JVM exit.
 */
public final class RawRedis {
    private static final Map<String, JedisPooled> POOLS = new ConcurrentHashMap<>();
    /** Generous: tests write 100 MB values and block on lists for many seconds. */
    private static final int TIMEOUT_MS = 60_000;

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> POOLS.values().forEach(JedisPooled::close), "close-raw-redis"));
    }

    private RawRedis() {}

    /** A connection to the Redis at {@code uri} ({@code redis://…}). */
    public static UnifiedJedis at(String uri) {
        return POOLS.computeIfAbsent(uri, u -> new JedisPooled(URI.create(u), TIMEOUT_MS));
    }
}
