package io.forklift.testkit;

import io.forklift.embedded.EmbeddedRedis;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.util.SafeEncoder;

/**
 * A real Redis Cluster of {@code masters} masters with one replica each, from the same
 * {@code redis-server} binary the other tests use ({@link EmbeddedRedis}). It is formed without
 * {@code redis-cli} (which CI may not have): CLUSTER ADDSLOTSRANGE on each master, CLUSTER MEET,
 * then CLUSTER REPLICATE, and it is ready once every node reports {@code cluster_state:ok} and every
 * replica's link to its master is up. A replica takes over about two node timeouts after its
 * master dies.
 *
 * <p>The caller owns the processes: {@link #close()} stops all of them.
 */
public final class EmbeddedCluster implements AutoCloseable {
    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(60);
    private static final int SLOTS = 16384;

    private final List<EmbeddedRedis> nodes;
    private final List<Integer> busPorts = new ArrayList<>();

    private EmbeddedCluster(List<EmbeddedRedis> nodes) {
        this.nodes = nodes;
    }

    /**
     * Starts and forms a cluster of {@code masters} masters and as many replicas (nodes
     * 0..masters-1 are the masters) for tests of behaviour, not durability: without AOF and with a
     * {@code cluster-node-timeout} of 15 s. On a 2-core machine whose disk other builds keep busy, an
     * fsync can stall a node past a shorter timeout, and a healthy master is then failed over
     * (CLUSTERDOWN) in the middle of a test.
     */
    public static EmbeddedCluster start(int masters) throws IOException, InterruptedException {
        return start(masters, Duration.ofSeconds(15), false);
    }

    /**
     * As {@link #start(int)}, durable (AOF, fsync always, as FAULTS.md asks of fault tests), with
     * another {@code cluster-node-timeout}: how soon a dead master is replaced.
     */
    public static EmbeddedCluster start(int masters, Duration nodeTimeout) throws IOException, InterruptedException {
        return start(masters, nodeTimeout, true);
    }

    private static EmbeddedCluster start(int masters, Duration nodeTimeout, boolean durable)
            throws IOException, InterruptedException {
        List<EmbeddedRedis> nodes = new ArrayList<>();
        EmbeddedCluster cluster = new EmbeddedCluster(nodes);
        try {
            for (int i = 0; i < 2 * masters; i++) {
                int[] ports = freePorts();
                cluster.busPorts.add(ports[1]);
                nodes.add(EmbeddedRedis.start(
                        null,
                        ports[0],
                        "--cluster-enabled",
                        "yes",
                        "--cluster-config-file",
                        "nodes.conf",
                        "--cluster-port",
                        Integer.toString(ports[1]),
                        "--cluster-node-timeout",
                        "1000",
                        "--cluster-replica-validity-factor",
                        "0", // any replica may take over
                        "--repl-diskless-sync",
                        "yes",
                        "--repl-diskless-sync-delay",
                        "0",
                        "--appendonly", // given twice, the last counts
                        durable ? "yes" : "no"));
            }
            cluster.form(masters);
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void form(int masters) throws InterruptedException {
        for (int i = 0; i < masters; i++) {
            int from = SLOTS * i / masters;
            int to = SLOTS * (i + 1) / masters - 1;
            run(i, "CLUSTER", "ADDSLOTSRANGE", Integer.toString(from), Integer.toString(to));
        }
        for (int i = 1; i < nodes.size(); i++) {
            String port = Integer.toString(nodes.get(i).port());
            run(0, "CLUSTER", "MEET", "127.0.0.1", port, Integer.toString(busPorts.get(i)));
        }
        Poll.until("every node knows all " + nodes.size(), FORM_TIMEOUT, () -> {
            for (int i = 0; i < nodes.size(); i++) {
                if (run(i, "CLUSTER", "NODES").strip().split("\n").length < nodes.size()) return false;
            }
            return true;
        });
        for (int i = masters; i < nodes.size(); i++) {
            run(i, "CLUSTER", "REPLICATE", run(i - masters, "CLUSTER", "MYID"));
        }
        Poll.until("cluster_state:ok on every node and every replica in sync", FORM_TIMEOUT, () -> {
            for (int i = 0; i < nodes.size(); i++) {
                if (!run(i, "CLUSTER", "INFO").contains("cluster_state:ok")) return false;
                if (i >= masters && !run(i, "INFO", "replication").contains("master_link_status:up")) return false;
            }
            return true;
        });
    }

    /** The URI Forklift is given: one node only, as a user would give it. */
    public String uri() {
        return "redis+cluster://127.0.0.1:" + nodes.get(0).port();
    }

    public List<EmbeddedRedis> nodes() {
        return List.copyOf(nodes);
    }

    /** The node now serving {@code key} as master (it changes after a failover). */
    public EmbeddedRedis masterOf(String key) {
        long slot = Long.parseLong(run(firstAlive(), "CLUSTER", "KEYSLOT", key));
        for (int i = 0; i < nodes.size(); i++) {
            if (!nodes.get(i).isAlive()) continue;
            String role = run(i, "ROLE");
            if (!role.startsWith("master")) continue;
            for (String line : run(i, "CLUSTER", "NODES").split("\n")) {
                if (!line.contains("myself")) continue;
                String[] f = line.split(" ");
                for (int k = 8; k < f.length; k++) {
                    String[] range = f[k].split("-");
                    long lo = Long.parseLong(range[0]);
                    long hi = range.length > 1 ? Long.parseLong(range[1]) : lo;
                    if (slot >= lo && slot <= hi) return nodes.get(i);
                }
            }
        }
        throw new IllegalStateException("no live master serves slot " + slot + " of " + key);
    }

    /**
     * Waits until a live node other than {@code dead} serves {@code key} as master and every live
     * node reports {@code cluster_state:ok}: the failover after {@code dead} was killed is over
     * (right after the kill, the nodes still report ok until they agree that it failed).
     */
    public EmbeddedRedis awaitFailover(String key, EmbeddedRedis dead) throws InterruptedException {
        EmbeddedRedis[] promoted = new EmbeddedRedis[1];
        Poll.until("live master of " + key + " other than port " + dead.port(), FORM_TIMEOUT, () -> {
            promoted[0] = masterOf(key);
            return promoted[0] != dead;
        });
        awaitHealthy();
        return promoted[0];
    }

    /** Waits until every live node reports {@code cluster_state:ok} (after a failover). */
    public void awaitHealthy() throws InterruptedException {
        Poll.until("cluster_state:ok on every live node", FORM_TIMEOUT, () -> {
            for (int i = 0; i < nodes.size(); i++) {
                if (nodes.get(i).isAlive() && !run(i, "CLUSTER", "INFO").contains("cluster_state:ok")) return false;
            }
            return true;
        });
    }

    private int firstAlive() {
        for (int i = 0; i < nodes.size(); i++) if (nodes.get(i).isAlive()) return i;
        throw new IllegalStateException("no node of the cluster is alive");
    }

    /** One command on node {@code i}, its reply as text (the first line of an array's first element for ROLE). */
    private String run(int i, String... command) {
        try (Jedis j = new Jedis("127.0.0.1", nodes.get(i).port(), 5000)) {
            Object reply = j.sendCommand(
                    Protocol.Command.valueOf(command[0]), java.util.Arrays.copyOfRange(command, 1, command.length));
            if (reply instanceof List<?> list) reply = list.get(0);
            return reply instanceof byte[] b ? SafeEncoder.encode(b) : String.valueOf(reply);
        }
    }

    /** A free port for clients and another for the cluster bus (the default, port + 10000, may not exist). */
    private static int[] freePorts() throws IOException {
        try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new int[] {a.getLocalPort(), b.getLocalPort()};
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (EmbeddedRedis n : nodes) {
            try {
                n.close();
            } catch (IOException e) {
                // its temporary folder stays behind; the process is stopped
            }
        }
    }
}
