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
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Script calls whose writes must survive a failover: each slot's calls run on one connection, then
 * {@code WAIT n} on that same connection (WAIT covers only its own connection's writes) returns once
 * {@code n} replicas hold them. Redis replicates asynchronously, so without it a master that dies
 * right after answering can take an acknowledged write with it; with it, a replica promoted in its
 * place has the write.
 */
final class Acknowledged {
    private static final CommandObjects COMMANDS = new CommandObjects();

    private Acknowledged() {}

    /** Runs {@code calls} and waits for {@code replicas} replicas; raw replies in call order. */
    static List<Object> run(Redis redis, List<ScriptCall<?>> calls, int replicas) {
        Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
        for (int i = 0; i < calls.size(); i++) {
            bySlot.computeIfAbsent(JedisClusterCRC16.getSlot(calls.get(i).keys().get(0)), s -> new ArrayList<>())
                    .add(i);
        }
        Object[] results = new Object[calls.size()];
        // WAIT blocks for at most half the read timeout, so its answer always comes back in time
        long waitMillis = Math.max(1, redis.timeout().toMillis() / 2);
        for (List<Integer> group : bySlot.values()) {
            String key = calls.get(group.get(0)).keys().get(0);
            long acked = redis.call(j -> {
                try (Connection c = redis.connectionFor(key)) {
                    runOn(c, calls, group, results);
                    return c.executeCommand(COMMANDS.waitReplicas(replicas, waitMillis));
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
