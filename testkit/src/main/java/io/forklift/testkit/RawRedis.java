package io.forklift.testkit;

import java.net.URI;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;

/**
 * A plain Jedis connection for tests that write or inspect keys around Forklift's own Redis layer
 * (bad input pushed straight into a queue, CONFIG SET, CLIENT KILL, SCRIPT FLUSH): product code
 * reaches Redis only through {@code io.forklift.redis}. One pool per URI, closed at JVM exit.
 */
public final class RawRedis {
    private static final Map<String, UnifiedJedis> POOLS = new ConcurrentHashMap<>();
    /** Generous: tests write 100 MB values and block on lists for many seconds. */
    private static final int TIMEOUT_MS = 60_000;

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> POOLS.values().forEach(UnifiedJedis::close), "close-raw-redis"));
    }

    private RawRedis() {}

    /**
     * A connection to the Redis at {@code uri}: {@code redis://…}, or a cluster client for
     * {@code redis+cluster://host:port[,host:port…]} (no credentials: test clusters have none).
     */
    public static UnifiedJedis at(String uri) {
        return POOLS.computeIfAbsent(uri, RawRedis::open);
    }

    private static UnifiedJedis open(String uri) {
        if (!uri.startsWith("redis+cluster://")) return new JedisPooled(URI.create(uri), TIMEOUT_MS);
        String nodes = uri.substring("redis+cluster://".length()).replaceFirst("\\?.*", "");
        Set<HostAndPort> seeds = new HashSet<>();
        for (String node : nodes.split(",")) seeds.add(HostAndPort.from(node));
        return new JedisCluster(seeds, TIMEOUT_MS, TIMEOUT_MS, 5, new GenericObjectPoolConfig<>());
    }
}
