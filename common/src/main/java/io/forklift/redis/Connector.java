package io.forklift.redis;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.providers.ConnectionProvider;
import redis.clients.jedis.providers.PooledConnectionProvider;
import redis.clients.jedis.providers.SentineledConnectionProvider;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Turns a Redis URI into a Jedis client: {@code redis://} and {@code rediss://} give one pooled
 * server; {@code redis+cluster://} and {@code rediss+cluster://} (one or more seed nodes,
 * comma-separated; any one node of the cluster is enough) give a Redis Cluster client that learns
 * the slot map from the seeds and keeps a pool per node; {@code redis+sentinel://} (Sentinels and a
 * master name) gives a pool that follows the master Sentinel names through a failover.
 */
final class Connector {
    /** Commands a cluster client retries after a redirection or a lost node, within {@link #RETRY_FOR}. */
    private static final int CLUSTER_ATTEMPTS = 5;
    /** Longer than a failover takes to be noticed (cluster-node-timeout) would make callers hang. */
    private static final Duration RETRY_FOR = Duration.ofSeconds(2);

    /**
     * What connect made: the client, its cluster node provider (null for one server), a name for
     * messages, and how many replicas must acknowledge a submit ({@code ?replicas=N}, default 0).
     */
    record Connected(
            UnifiedJedis jedis,
            ConnectionProvider provider,
            ClusterConnectionProvider nodes,
            String where,
            boolean tls,
            int replicas) {
        Connected withReplicas(int n) {
            return new Connected(jedis, provider, nodes, where, tls, n);
        }
    }

    private Connector() {}

    static boolean isCluster(String uri) {
        return uri != null && (uri.startsWith("redis+cluster://") || uri.startsWith("rediss+cluster://"));
    }

    static boolean isSentinel(String uri) {
        return uri != null && (uri.startsWith("redis+sentinel://") || uri.startsWith("rediss+sentinel://"));
    }

    static Connected connect(String uri, Duration timeout, int maxConnections, Duration blockingReadTimeout) {
        int query = uri.indexOf('?');
        int replicas = query < 0 ? 0 : replicas(uri, uri.substring(query + 1));
        String base = query < 0 ? uri : uri.substring(0, query);
        Connected c = isCluster(base)
                ? cluster(base, timeout, maxConnections, blockingReadTimeout)
                : isSentinel(base)
                        ? sentinel(base, timeout, maxConnections, blockingReadTimeout)
                        : single(base, timeout, maxConnections, blockingReadTimeout);
        return c.withReplicas(replicas);
    }

    /** {@code replicas=N}: a submit returns only once N replicas hold it (WAIT N); no other parameter is known. */
    private static int replicas(String uri, String query) {
        if (!query.matches("replicas=\\d{1,2}")) {
            throw new IllegalArgumentException("'" + Redis.masked(uri) + "' has a query '" + query
                    + "'; the only one known is replicas=N (how many replicas must acknowledge a submit)");
        }
        return Integer.parseInt(query.substring("replicas=".length()));
    }

    private static Connected single(String uri, Duration timeout, int maxConnections, Duration blockingReadTimeout) {
        URI parsed;
        try {
            parsed = URI.create(uri);
        } catch (IllegalArgumentException e) {
            parsed = null;
        }
        if (parsed == null
                || !JedisURIHelper.isValid(parsed)
                || !(JedisURIHelper.isRedisScheme(parsed) || JedisURIHelper.isRedisSSLScheme(parsed))) {
            throw new IllegalArgumentException(
                    "'" + Redis.masked(uri)
                            + "' is not a Redis URI; expected redis://host:port, rediss://host:port or redis+cluster://host:port");
        }
        boolean tls = JedisURIHelper.isRedisSSLScheme(parsed);
        DefaultJedisClientConfig config = config(
                        JedisURIHelper.getUser(parsed),
                        JedisURIHelper.getPassword(parsed),
                        tls,
                        timeout,
                        blockingReadTimeout)
                .database(JedisURIHelper.getDBIndex(parsed))
                .build();
        HostAndPort node = JedisURIHelper.getHostAndPort(parsed);
        PooledConnectionProvider provider = new PooledConnectionProvider(node, config, pool(maxConnections, timeout));
        return new Connected(new JedisPooled(provider), provider, null, node.toString(), tls, 0);
    }

    /**
     * {@code redis+cluster://[user:password@]host:port[,host:port…]}; a cluster has one database, so
     * no {@code /db} may follow.
     */
    private static Connected cluster(String uri, Duration timeout, int maxConnections, Duration blockingReadTimeout) {
        Parts p = Parts.of(uri);
        if (!p.path().isEmpty()) {
            throw new IllegalArgumentException(
                    "'" + Redis.masked(uri)
                            + "' is not a Redis Cluster URI; expected redis+cluster://host:port[,host:port…] (no database: a cluster has only 0)");
        }
        DefaultJedisClientConfig config = config(p.user(), p.password(), p.tls(), timeout, blockingReadTimeout)
                .build();
        ClusterConnectionProvider nodes;
        try {
            nodes = new ClusterConnectionProvider(p.nodes(), config, pool(maxConnections, timeout));
        } catch (RuntimeException e) {
            throw new io.forklift.RedisUnavailableException(
                    "no seed node of the Redis Cluster " + p.nodes() + " answered (" + e.getMessage()
                            + "); check that they run and that --redis points at one of them",
                    e);
        }
        JedisCluster jedis = new JedisCluster(nodes, CLUSTER_ATTEMPTS, RETRY_FOR);
        return new Connected(jedis, nodes, nodes, "cluster " + p.nodes(), p.tls(), 0);
    }

    /**
     * {@code redis+sentinel://[user:password@]host:port[,host:port…]/master-name[/db]}: the Sentinels
     * (asked without credentials) name the master, and the pool follows it to a promoted replica.
     */
    private static Connected sentinel(String uri, Duration timeout, int maxConnections, Duration blockingReadTimeout) {
        Parts p = Parts.of(uri);
        String[] path = p.path().split("/");
        if (path[0].isEmpty() || path.length > 2 || (path.length == 2 && !path[1].matches("\\d+"))) {
            throw new IllegalArgumentException(
                    "'" + Redis.masked(uri)
                            + "' is not a Redis Sentinel URI; expected redis+sentinel://host:port[,host:port…]/master-name[/db]");
        }
        DefaultJedisClientConfig master = config(p.user(), p.password(), p.tls(), timeout, blockingReadTimeout)
                .database(path.length == 2 ? Integer.parseInt(path[1]) : 0)
                .build();
        DefaultJedisClientConfig sentinels =
                config(null, null, p.tls(), timeout, Duration.ZERO).build();
        SentineledConnectionProvider provider;
        try {
            provider = new SentineledConnectionProvider(
                    path[0], master, pool(maxConnections, timeout), p.nodes(), sentinels);
        } catch (RuntimeException e) {
            throw new io.forklift.RedisUnavailableException(
                    "no Sentinel of " + p.nodes() + " named a live master '" + path[0] + "' (" + e.getMessage()
                            + "); check the Sentinels and the master name in --redis",
                    e);
        }
        return new Connected(
                new JedisSentineled(provider),
                provider,
                null,
                "master '" + path[0] + "' of Sentinels " + p.nodes(),
                p.tls(),
                0);
    }

    /** The parts of a URI naming several nodes: {@code scheme://[user:password@]host:port[,host:port…][/path]}. */
    private record Parts(boolean tls, String user, String password, Set<HostAndPort> nodes, String path) {
        static Parts of(String uri) {
            String rest = uri.substring(uri.indexOf("://") + 3);
            String user = null;
            String password = null;
            int at = rest.lastIndexOf('@');
            if (at >= 0) {
                String credentials = rest.substring(0, at);
                rest = rest.substring(at + 1);
                int colon = credentials.indexOf(':');
                user = colon <= 0 ? null : credentials.substring(0, colon);
                password = colon < 0 ? credentials : credentials.substring(colon + 1);
            }
            int slash = rest.indexOf('/');
            String path = slash < 0 ? "" : rest.substring(slash + 1).replaceFirst("/$", "");
            String hosts = slash < 0 ? rest : rest.substring(0, slash);
            Set<HostAndPort> nodes = new LinkedHashSet<>();
            for (String node : hosts.split(",")) {
                int colon = node.lastIndexOf(':');
                try {
                    nodes.add(new HostAndPort(node.substring(0, colon), Integer.parseInt(node.substring(colon + 1))));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(
                            "'" + Redis.masked(uri) + "' names a node '" + node + "' that is not host:port", e);
                }
            }
            return new Parts(uri.startsWith("rediss+"), user, password, nodes, path);
        }
    }

    private static DefaultJedisClientConfig.Builder config(
            String user, String password, boolean tls, Duration timeout, Duration blockingReadTimeout) {
        return DefaultJedisClientConfig.builder()
                .user(user)
                .password(password)
                .ssl(tls)
                .connectionTimeoutMillis((int) timeout.toMillis())
                .socketTimeoutMillis((int) timeout.toMillis())
                .blockingSocketTimeoutMillis((int) blockingReadTimeout.toMillis())
                .clientName("forklift");
    }

    private static GenericObjectPoolConfig<Connection> pool(int maxConnections, Duration timeout) {
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(maxConnections);
        pool.setMaxIdle(maxConnections);
        pool.setMaxWait(timeout);
        pool.setJmxEnabled(false);
        return pool;
    }
}
