package io.forklift.coordinator;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.daemon.LocalWorker;
import io.forklift.embedded.EmbeddedRedis;
import io.forklift.redis.Redis;
import io.forklift.testkit.RawRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/**
 * A redis-server of the test's own (AOF, fsync always), for faults that hit the whole server (kill,
 * maxmemory), with one worker daemon serving queue {@code jobs}, a client, and a connection for the
 * test's checks, all on one prefix. Ready once the worker's children are up; closed in reverse.
 */
final class OwnRedis implements AutoCloseable {
    final EmbeddedRedis server;
    final Redis conn;
    final LocalWorker worker;
    final Forklift client;

    private OwnRedis(EmbeddedRedis server, Redis conn, LocalWorker worker, Forklift client) {
        this.server = server;
        this.conn = conn;
        this.worker = worker;
        this.client = client;
    }

    static OwnRedis start(Path dir, String prefix, int processes) throws Exception {
        EmbeddedRedis server = EmbeddedRedis.start(dir.resolve("redis"), 0);
        Redis conn = null;
        LocalWorker worker = null;
        try {
            conn = Redis.connect(server.uri(), prefix, Duration.ofSeconds(2), 2);
            worker = LocalWorker.start(
                    prefix.replace(":", "") + "-w1",
                    dir.resolve("worker.log"),
                    List.of(
                            "--redis",
                            server.uri(),
                            "--prefix",
                            prefix,
                            "--queues",
                            "jobs",
                            "--processes",
                            Integer.toString(processes)));
            worker.awaitChildren(conn, processes, Duration.ofSeconds(60));
            Forklift client = Forklift.connect(ForkliftOptions.of(server.uri()).withPrefix(prefix));
            return new OwnRedis(server, conn, worker, client);
        } catch (Exception | Error e) {
            if (worker != null) worker.close();
            if (conn != null) conn.close();
            server.close();
            throw e;
        }
    }

    /** A plain connection to this Redis, for commands around Forklift (CONFIG SET, filling memory). */
    UnifiedJedis raw() {
        return RawRedis.at(server.uri());
    }

    @Override
    public void close() throws Exception {
        try {
            client.close();
            worker.close();
            conn.close();
        } finally {
            server.close();
        }
    }
}
