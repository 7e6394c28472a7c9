package io.forklift.redis;

import io.forklift.RedisUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.CommandObjects;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Several script calls as one pipelined round trip per node, each on a connection of its own node.
 * A Redis Cluster needs it because Jedis's cluster pipeline starts a thread pool on every sync (a
 * cost per round trip on the hot path); and writes that must survive a failover need it because
 * {@code WAIT n} covers only its own connection's writes: sent after them on that connection, it
 * returns once {@code n} replicas hold them. Redis replicates asynchronously, so without WAIT a
 * master that dies right after answering can take an acknowledged write with it.
 */
final class NodeTrips {
    private static final CommandObjects COMMANDS = new CommandObjects();

    private NodeTrips() {}

    /** Runs {@code calls}, then waits for {@code replicas} replicas if above zero; raw replies in call order. */
    static List<Object> run(Redis redis, List<ScriptCall<?>> calls, int replicas) {
        Map<Object, List<Integer>> byNode = new LinkedHashMap<>();
        for (int i = 0; i < calls.size(); i++) {
            byNode.computeIfAbsent(redis.nodeOf(calls.get(i).keys().get(0)), s -> new ArrayList<>())
                    .add(i);
        }
        Object[] results = new Object[calls.size()];
        // WAIT blocks for at most half the read timeout, so its answer always comes back in time
        long waitMillis = Math.max(1, redis.timeout().toMillis() / 2);
        for (List<Integer> group : byNode.values()) {
            String key = calls.get(group.get(0)).keys().get(0);
            long acked = redis.call(j -> {
                try (Connection c = redis.connectionFor(key)) {
                    runOn(c, calls, group, results);
                    return replicas == 0 ? 0L : c.executeCommand(COMMANDS.waitReplicas(replicas, waitMillis));
                } catch (RuntimeException e) {
                    redis.connectionFailed(e);
                    throw e;
                }
            });
            if (acked < replicas) {
                throw new RedisUnavailableException(
                        "Redis at " + redis.where() + " stored the write but only " + acked
                                + " of the " + replicas
                                + " replicas asked for (replicas= in the Redis URI) acknowledged it within "
                                + Duration.ofMillis(waitMillis)
                                + "; it could be lost if its master failed now, so it counts as not done",
                        null);
            }
        }
        List<Object> out = new ArrayList<>(calls.size());
        for (Object r : results) out.add(r);
        return out;
    }

    /** One pipelined round trip of a slot's calls; a call refused with NOSCRIPT is loaded and run again here. */
    private static void runOn(Connection c, List<ScriptCall<?>> calls, List<Integer> group, Object[] results) {
        List<Response<Object>> responses = new ArrayList<>(group.size());
        try (Pipeline p = new Pipeline(c)) {
            for (int i : group) {
                ScriptCall<?> call = calls.get(i);
                responses.add(p.evalsha(call.script().sha(), call.keys(), call.args()));
            }
            p.sync();
        }
        for (int k = 0; k < group.size(); k++) {
            ScriptCall<?> call = calls.get(group.get(k));
            try {
                results[group.get(k)] = responses.get(k).get();
            } catch (JedisNoScriptException e) {
                c.executeCommand(COMMANDS.scriptLoad(call.script().source()));
                results[group.get(k)] =
                        c.executeCommand(COMMANDS.evalsha(call.script().sha(), call.keys(), call.args()));
            }
        }
    }
}
