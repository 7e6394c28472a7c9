package io.forklift.redis;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * The start-up checks a daemon runs before it serves: refuses a Redis that would lose tasks or
 * cannot run the scripts (older than 7.0, a maxmemory-policy that evicts keys) and a Redis user
 * lacking a command Forklift needs, naming it, so a misconfiguration stops the daemon at once with
 * the reason instead of failing every round trip later.
 */
public final class Preflight {
    private static final Pattern REFUSED_LINE = Pattern.compile("can't run this command.*@user_script:(\\d+)");
    private static final Pattern CALL = Pattern.compile("redis\\.call\\('([A-Z]+)'");

    private Preflight() {}

    /** Throws, saying what to change, if {@code redis} cannot serve Forklift safely. */
    public static void check(Redis redis) {
        String where = redis.where();
        String version = Redis.infoField(redis.info("server"), "redis_version");
        if (version != null && Integer.parseInt(version.split("\\.")[0]) < 7) {
            throw new IllegalStateException(
                    "Redis at " + where + " is version " + version + "; Forklift needs Redis 7.0 or newer");
        }
        String policy = maxmemoryPolicy(redis);
        if (policy != null && !"noeviction".equals(policy)) {
            throw new IllegalStateException("Redis at " + where + " has maxmemory-policy " + policy
                    + ", which evicts keys and so silently loses tasks; set it to noeviction "
                    + "(CONFIG SET maxmemory-policy noeviction)");
        }
        checkPermissions(redis);
    }

    private static String maxmemoryPolicy(Redis redis) {
        if (redis.isCluster()) return Redis.infoField(redis.info("memory"), "maxmemory_policy");
        try {
            List<?> reply = (List<?>) redis.jedis().sendCommand(Protocol.Command.CONFIG, "GET", "maxmemory-policy");
            return reply.size() == 2 ? SafeEncoder.encode((byte[]) reply.get(1)) : null;
        } catch (JedisDataException noConfigCommand) { // CONFIG may be renamed or denied; INFO says it too
            return Redis.infoField(redis.info("memory"), "maxmemory_policy");
        } catch (RuntimeException e) {
            throw redis.translate(e);
        }
    }

    /**
     * Runs, on scratch keys under the prefix, every command the scripts run (preflight.lua) and
     * those the daemons send themselves.
     */
    private static void checkPermissions(Redis redis) {
        Keys keys = redis.keys();
        String base = keys.preflight(UUID.randomUUID().toString());
        UnifiedJedis j = redis.jedis();
        try {
            Redis.eval(
                    j,
                    new ScriptCall<>(
                            Script.PREFLIGHT,
                            List.of(base + "list", base + "hash", base + "zset", base + "string"),
                            List.of("1000", keys.revokedChannel()),
                            Function.identity()));
            j.rpush(base + "list", "x");
            j.blpop(0.01, base + "list"); // the worker's waker and the client's reply listener block
            j.sadd(base + "set", "x"); // registries of queues
            j.smembers(base + "set");
            j.unlink(base + "set", base + "list");
        } catch (JedisDataException e) {
            throw redis.translate(refusedScriptCommand(e));
        } catch (RuntimeException e) {
            throw redis.translate(e);
        }
    }

    /** Redis names only the script line a refused command is on; the line names the command. */
    private static RuntimeException refusedScriptCommand(JedisDataException e) {
        Matcher line = REFUSED_LINE.matcher(String.valueOf(e.getMessage()));
        if (!line.find()) return e;
        String[] source = Script.PREFLIGHT.source().split("\n");
        Matcher command = CALL.matcher(source[Integer.parseInt(line.group(1)) - 1]);
        String name = command.find() ? command.group(1).toLowerCase(Locale.ROOT) : "a command";
        return new JedisAccessControlException("NOPERM this user has no permissions to run the '" + name
                + "' command in a script (" + e.getMessage() + ")");
    }
}
