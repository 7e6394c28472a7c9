package io.forklift.testkit;

import io.forklift.embedded.EmbeddedRedis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.Jedis;

/**
 * A master, its replica and one Sentinel watching them (quorum 1), all from the embedded
 * {@code redis-server} binary: the Sentinel declares the master down 2 s after it stops answering
 * and promotes the replica. The caller owns the processes: {@link #close()} stops all of them.
 */
public final class EmbeddedSentinel implements AutoCloseable {
    public static final String MASTER_NAME = "forklift";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final EmbeddedRedis master;
    private final EmbeddedRedis replica;
    private final Path dir;
    private final int port;
    private Process sentinel;

    private EmbeddedSentinel(EmbeddedRedis master, EmbeddedRedis replica, Path dir, int port) {
        this.master = master;
        this.replica = replica;
        this.dir = dir;
        this.port = port;
    }

    public static EmbeddedSentinel start() throws IOException, InterruptedException {
        EmbeddedRedis master = EmbeddedRedis.start();
        EmbeddedRedis replica = EmbeddedRedis.start("--replicaof", "127.0.0.1", Integer.toString(master.port()));
        EmbeddedSentinel s =
                new EmbeddedSentinel(master, replica, Files.createTempDirectory("forklift-sentinel-"), Poll.freePort());
        try {
            s.launch();
            return s;
        } catch (IOException | InterruptedException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void launch() throws IOException, InterruptedException {
        Path conf = dir.resolve("sentinel.conf"); // Sentinel rewrites its config file: it must be its own
        Files.writeString(
                conf,
                String.join(
                        "\n",
                        "port " + port,
                        "bind 127.0.0.1",
                        "dir " + dir,
                        "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 1",
                        "sentinel down-after-milliseconds " + MASTER_NAME + " 2000",
                        "sentinel failover-timeout " + MASTER_NAME + " 10000",
                        ""));
        sentinel = new ProcessBuilder(EmbeddedRedis.binary().toString(), conf.toString(), "--sentinel")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sentinel.log").toFile())
                .start();
        Poll.until("the Sentinel to see the replica", TIMEOUT, () -> {
            try (Jedis j = new Jedis("127.0.0.1", port, 2000)) {
                return !j.sentinelReplicas(MASTER_NAME).isEmpty();
            }
        });
    }

    /** The URI Forklift is given: the Sentinel and the master's name. */
    public String uri() {
        return "redis+sentinel://127.0.0.1:" + port + "/" + MASTER_NAME;
    }

    public EmbeddedRedis master() {
        return master;
    }

    public EmbeddedRedis replica() {
        return replica;
    }

    /** Waits until the Sentinel names {@code node} as the master. */
    public void awaitMaster(EmbeddedRedis node) throws InterruptedException {
        Poll.until("the Sentinel to name port " + node.port() + " master", TIMEOUT, () -> {
            try (Jedis j = new Jedis("127.0.0.1", port, 2000)) {
                List<String> addr = j.sentinelGetMasterAddrByName(MASTER_NAME);
                return addr.size() == 2 && addr.get(1).equals(Integer.toString(node.port()));
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        if (sentinel != null) {
            sentinel.destroyForcibly();
            sentinel.waitFor();
        }
        for (EmbeddedRedis r : List.of(master, replica)) {
            try {
                r.close();
            } catch (IOException e) {
                // its temporary folder stays behind; the process is stopped
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary folder is all that is lost
        }
    }
}
