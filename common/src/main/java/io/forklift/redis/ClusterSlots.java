package io.forklift.redis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisClusterException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * What a Redis Cluster changes for Forklift's Redis layer: a command may name keys of one hash slot
 * only, so multi-queue waits are split by slot ({@link #groups}); while a master fails over, calls
 * fail with connection errors, MOVED, CLUSTERDOWN or TRYAGAIN, which are outages to retry, not
 * refusals, and after which the client's slot map must be read again.
 */
final class ClusterSlots {
    private ClusterSlots() {}

    /** {@code keys} grouped by hash slot, each group in the order given: one multi-key command per group. */
    static List<String[]> groups(Collection<String> keys) {
        Map<Integer, List<String>> bySlot = new LinkedHashMap<>();
        for (String k : keys)
            bySlot.computeIfAbsent(JedisClusterCRC16.getSlot(k), s -> new ArrayList<>())
                    .add(k);
        List<String[]> out = new ArrayList<>(bySlot.size());
        for (List<String> g : bySlot.values()) out.add(g.toArray(String[]::new));
        return out;
    }

    /** Whether {@code e} says the cluster is between owners of a slot (so: retry later). */
    static boolean inTransition(Throwable e) {
        if (e instanceof JedisClusterOperationException) {
            // "Keys must belong to same hashslot" is a caller's bug, not an outage: never retried
            return e.getMessage() == null || !e.getMessage().contains("same hashslot");
        }
        if (e instanceof JedisRedirectionException) return true;
        if (e instanceof JedisClusterException) return true; // CLUSTERDOWN
        return e instanceof JedisDataException
                && e.getMessage() != null
                && (e.getMessage().startsWith("TRYAGAIN") || e.getMessage().startsWith("CLUSTERDOWN"));
    }

    /**
     * Reads the slot map again after an error that may mean a slot moved (a failover): pipelines and
     * direct connections do not follow MOVED themselves. A failure to read it is left to the next call.
     */
    static void renewAfter(ClusterConnectionProvider nodes, RuntimeException e) {
        if (!(e instanceof JedisConnectionException) && !inTransition(e)) return;
        try {
            nodes.renewSlotCache();
        } catch (RuntimeException notNow) {
            // no node answered yet; the next failed call tries again
        }
    }

    /** INFO names no key: one node of the cluster answers for itself. */
    static String info(ClusterConnectionProvider nodes, String section) {
        try (Connection c = nodes.getConnection()) {
            return c.executeCommand(new CommandObject<>(
                    new CommandArguments(Protocol.Command.INFO).add(section), BuilderFactory.STRING));
        }
    }
}
