package io.forklift.redis;

import io.forklift.ForkliftException;
import io.forklift.RedisCommandException;
import io.forklift.RedisOutOfMemoryException;
import io.forklift.RedisUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.providers.ConnectionProvider;
import redis.clients.jedis.util.JedisClusterCRC16;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Forklift's one way into Redis: a connection pool built from a {@code redis://} or {@code rediss://}
 * URI (user, password and database taken from it), or a Redis Cluster client from a
 * {@code redis+cluster://} URI (see {@link Connector}), the key schema, and the Lua transitions, called
 * by SHA and reloaded once when Redis answers NOSCRIPT (after a restart or SCRIPT FLUSH).
 */
public final class Redis implements AutoCloseable {
    private final UnifiedJedis jedis;
    private final ConnectionProvider provider; // one server's or a Sentinel master's pool, or the cluster's nodes
    private final ClusterConnectionProvider nodes; // a cluster's nodes and slot map; null for one server
    private final int replicas; // that must acknowledge a submit (the URI's replicas=N)
    private final Keys keys;
    private final String where;
    private final boolean tls;
    private final Duration timeout;

    private Redis(Connector.Connected c, Keys keys, Duration timeout) {
        this.jedis = c.jedis();
        this.nodes = c.nodes();
        this.provider = c.provider();
        this.replicas = c.replicas();
        this.keys = keys;
        this.where = c.where();
        this.tls = c.tls();
        this.timeout = timeout;
    }

    /**
     * @param uri     {@code redis://[user:password@]host:port[/db]}, or {@code rediss://} for TLS;
     *                {@code redis+cluster://[user:password@]host:port[,host:port…]} for a Redis Cluster;
     *                {@code redis+sentinel://host:port[,host:port…]/master-name} through Sentinels;
     *                {@code ?replicas=N} makes a submit wait until N replicas hold it
     * @param prefix  key prefix of this cluster, e.g. {@code forklift:}
     * @param timeout connect and read timeout of non-blocking calls
     */
    public static Redis connect(String uri, String prefix, Duration timeout, int maxConnections) {
        return connect(uri, prefix, timeout, maxConnections, Duration.ZERO);
    }

    /**
     * As {@link #connect(String, String, Duration, int)}, with a read timeout for blocking commands
     * (BLPOP, BLMOVE…): {@code blockingReadTimeout} must exceed the longest block its callers ask
     * for; zero waits as long as the command does.
     */
    public static Redis connect(
            String uri, String prefix, Duration timeout, int maxConnections, Duration blockingReadTimeout) {
        return new Redis(
                Connector.connect(uri, timeout, maxConnections, blockingReadTimeout), new Keys(prefix), timeout);
    }

    /** {@code uri} with its password replaced by {@code ***}, for messages and logs. */
    public static String masked(String uri) {
        return uri == null ? null : uri.replaceFirst("//([^:@/]*):[^@/]*@", "//$1:***@");
    }

    /** The connection, for the typed Redis layer in this package only: no Jedis type leaves it. */
    UnifiedJedis jedis() {
        return jedis;
    }

    public Keys keys() {
        return keys;
    }

    /** The connect and read timeout of calls that do not block. */
    public Duration timeout() {
        return timeout;
    }

    /** host:port, for messages. */
    public String where() {
        return where;
    }

    /** Checks that Redis answers; throws {@link RedisUnavailableException} saying what to check if not. */
    public void ping() {
        call(UnifiedJedis::ping);
    }

    /** Runs one command through the connection, with Redis's errors translated into Forklift's. */
    <T> T call(Function<UnifiedJedis, T> command) {
        try {
            return command.apply(jedis);
        } catch (RuntimeException e) {
            connectionFailed(e);
            throw translate(e);
        }
    }

    /** Whether this is a Redis Cluster client: keys of different hash tags may live on different nodes. */
    public boolean isCluster() {
        return nodes != null;
    }

    /** A connection of its own to the node serving {@code key} (to block, unblock, WAIT); the caller closes it. */
    Connection connectionFor(String key) {
        return call(j ->
                nodes == null ? provider.getConnection() : nodes.getConnectionFromSlot(JedisClusterCRC16.getSlot(key)));
    }

    /** The node serving {@code key}, as a value to group calls by (one for a single server). */
    Object nodeOf(String key) {
        return nodes == null ? where : nodes.getNode(JedisClusterCRC16.getSlot(key));
    }

    /** After a connection of {@link #connectionFor} failed: its slot may have moved to another node. */
    void connectionFailed(RuntimeException e) {
        if (nodes != null) ClusterSlots.renewAfter(nodes, e);
    }

    /** Runs one transition; reloads it once if Redis answers NOSCRIPT (after a restart or SCRIPT FLUSH). */
    public <T> T run(ScriptCall<T> call) {
        return call.read(call(j -> eval(j, call)));
    }

    static Object eval(UnifiedJedis j, ScriptCall<?> call) {
        try {
            return j.evalsha(call.script().sha(), call.keys(), call.args());
        } catch (JedisNoScriptException e) {
            // a cluster loads it on the node of the call's slot (a promoted replica has no scripts)
            if (j instanceof JedisCluster && !call.keys().isEmpty())
                j.scriptLoad(call.script().source(), call.keys().get(0));
            else j.scriptLoad(call.script().source());
            return j.evalsha(call.script().sha(), call.keys(), call.args());
        }
    }

    /**
     * Runs several transitions in one round trip; raw replies in call order. A call that failed with
     * NOSCRIPT did not run, so it is loaded and run again; any other error is thrown. When
     * {@code acknowledged}, also waits for the replicas the URI asks for (see {@link NodeTrips}).
     */
    List<Object> runAll(List<ScriptCall<?>> calls, boolean acknowledged) {
        int wait = acknowledged ? replicas : 0;
        if (wait > 0 || (nodes != null && calls.size() > 1)) return NodeTrips.run(this, calls, wait);
        if (calls.size() == 1) return java.util.Collections.singletonList(call(j -> eval(j, calls.get(0))));
        return call(j -> {
            List<Response<Object>> responses = new ArrayList<>(calls.size());
            try (AbstractPipeline p = j.pipelined()) {
                for (ScriptCall<?> c : calls) responses.add(p.evalsha(c.script().sha(), c.keys(), c.args()));
                p.sync();
            }
            List<Object> results = new ArrayList<>(calls.size());
            for (int i = 0; i < calls.size(); i++) {
                try {
                    results.add(responses.get(i).get());
                } catch (JedisNoScriptException e) {
                    results.add(eval(j, calls.get(i)));
                }
            }
            return results;
        });
    }

    /**
     * Redis's errors as Forklift's, in one place: unreachable or refused credentials become
     * {@link RedisUnavailableException}, an OOM refusal {@link RedisOutOfMemoryException}; any other
     * error is returned as it is.
     */
    RuntimeException translate(RuntimeException e) {
        if (e instanceof ForkliftException) return e;
        if (ClusterSlots.inTransition(e)) return unavailable(e);
        if (e instanceof JedisConnectionException || e instanceof JedisAccessControlException) return unavailable(e);
        if (e instanceof JedisDataException
                && e.getMessage() != null
                && e.getMessage().startsWith("OOM")) return outOfMemory(e);
        if (e instanceof JedisDataException
                && e.getMessage() != null
                && e.getMessage().contains("DB index is out of range")) {
            return new RedisCommandException(
                    "Redis at " + where + " has no database of the number the URI ends with (" + e.getMessage()
                            + "); use one below its 'databases' setting (16 by default), e.g. redis://host:6379/0",
                    e);
        }
        if (e instanceof JedisDataException) {
            ScriptRefusal refusal = ScriptRefusal.parse(e.getMessage(), e);
            if (refusal != null) return refusal;
        }
        if (e instanceof JedisException) {
            return new RedisCommandException("Redis at " + where + " refused a command: " + e.getMessage(), e);
        }
        return e;
    }

    /** The error for a write Redis refused at its maxmemory, with the figures that explain it. */
    private RedisOutOfMemoryException outOfMemory(RuntimeException e) {
        String figures;
        try {
            String memory = info("memory"); // INFO is allowed over maxmemory
            figures = "used_memory " + infoField(memory, "used_memory") + " bytes of maxmemory "
                    + infoField(memory, "maxmemory") + ", policy " + infoField(memory, "maxmemory_policy");
        } catch (RuntimeException infoFailed) {
            figures = "its memory figures could not be read: " + infoFailed.getMessage();
        }
        return new RedisOutOfMemoryException(
                "Redis at " + where + " is out of memory (" + figures + ") and refused the write; "
                        + "nothing of it was stored. Raise maxmemory (CONFIG SET maxmemory) or drain queues (forklift status shows their depths)",
                e);
    }

    /** The error for a Redis that cannot be used, saying what to check. */
    RedisUnavailableException unavailable(Exception e) {
        if (e instanceof JedisAccessControlException
                && e.getMessage() != null
                && e.getMessage().contains("NOPERM")) {
            return new RedisUnavailableException(
                    "Redis at " + where + " does not let this user run a command Forklift needs ("
                            + e.getMessage()
                            + "); grant it with ACL SETUSER, e.g. +@all on the prefix's keys (~forklift:* &*), or at least "
                            + "+@read +@write +@scripting +@blocking +@keyspace +ping +info",
                    e);
        }
        if (e instanceof JedisAccessControlException) {
            return new RedisUnavailableException(
                    "Redis at " + where + " refused the credentials (" + e.getMessage()
                            + "); check the user and password in the Redis URI",
                    e);
        }
        javax.net.ssl.SSLException handshake = cause(e, javax.net.ssl.SSLException.class);
        if (handshake != null && cause(e, java.security.cert.CertPathBuilderException.class) != null) {
            return new RedisUnavailableException(
                    "Redis at " + where + " presented a TLS certificate this JVM does not trust ("
                            + handshake.getMessage()
                            + "); give its CA with -Djavax.net.ssl.trustStore=FILE (and trustStorePassword)",
                    e);
        }
        if (handshake != null) {
            return new RedisUnavailableException(
                    "the TLS handshake with Redis at " + where + " failed (" + handshake.getMessage()
                            + "); if that port speaks plaintext, use redis:// instead of rediss://",
                    e);
        }
        // A TLS port drops a plaintext client, and a plaintext port never answers a TLS hello: both look
        // like any other dropped or silent connection, so the message names the other scheme.
        String tlsHint = tls
                ? "; if that port speaks plaintext, use redis:// instead of rediss://"
                : "; if that port speaks TLS, use rediss://";
        return new RedisUnavailableException(
                "Redis at " + where + " is unreachable (" + e.getMessage()
                        + "); check that it runs and that --redis points at it" + tlsHint,
                e);
    }

    /** The first exception of {@code type} in {@code e}'s cause chain, or null. */
    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) return type.cast(t);
        }
        return null;
    }

    /** One section of INFO, as text. */
    public String info(String section) {
        if (nodes != null) return call(j -> ClusterSlots.info(nodes, section));
        return call(j -> SafeEncoder.encode((byte[]) j.sendCommand(Protocol.Command.INFO, section)));
    }

    /** One field of an INFO section; null when absent. */
    public static String infoField(String info, String field) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(field + ":"))
                return line.substring(field.length() + 1).trim();
        }
        return null;
    }

    @Override
    public void close() {
        jedis.close();
    }
}
