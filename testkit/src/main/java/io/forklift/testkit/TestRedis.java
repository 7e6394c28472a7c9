package io.forklift.testkit;

import io.forklift.embedded.EmbeddedRedis;

/**
 * The Redis a test talks to: its URI and a key prefix of the test class's own.
 *
 * @param embedded the process behind it when it is a local {@code redis-server} (fault tests kill and
 *                 restart it); null when it runs in a container
 */
public record TestRedis(String uri, String prefix, EmbeddedRedis embedded) {
    /** A plain Jedis connection to this Redis, for writing and inspecting keys directly. */
    public redis.clients.jedis.UnifiedJedis raw() {
        return RawRedis.at(uri);
    }

    /** Skips the test when this Redis is a cluster ({@code redis+cluster://}): {@code why} says what needs one node. */
    public void assumeOneNode(String why) {
        org.junit.jupiter.api.Assumptions.assumeFalse(uri.startsWith("redis+cluster://"), why);
    }

    /** A further prefix under this one, for a test method that wants keys of its own. */
    public String prefix(String name) {
        return prefix + name + ":";
    }
}
