package io.forklift.worker;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.Pool;
import io.forklift.daemon.LocalWorker;
import io.forklift.redis.Redis;
import io.forklift.testkit.TestRedis;
import io.forklift.wire.WorkerHeartbeat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * A worker daemon JVM for an integration test: started on the test class's key prefix, its log in
 * {@code target/it-logs/<id>.log}, ready once its heartbeat lists every child. Comes with a Redis
 * connection on the same prefix for the test's own checks. {@link #close()} stops the worker.
 */
final class TestWorker implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String id;
    private final LocalWorker worker;
    private final Redis redis;
    private final TestRedis testRedis;
    private final String queue;
    private Forklift client;

    private TestWorker(String id, LocalWorker worker, Redis redis, TestRedis testRedis, String queue) {
        this.id = id;
        this.worker = worker;
        this.redis = redis;
        this.testRedis = testRedis;
        this.queue = queue;
    }

    /** Starts a worker serving {@code queue} with {@code processes} children and waits for them. */
    static TestWorker start(TestRedis testRedis, String id, String queue, int processes, String... moreArgs)
            throws IOException, InterruptedException {
        Path log = Path.of("target", "it-logs", id + ".log");
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log); // LocalWorker appends; a rerun starts a fresh log
        List<String> args = new ArrayList<>(List.of(
                "--redis",
                testRedis.uri(),
                "--prefix",
                testRedis.prefix(),
                "--queues",
                queue,
                "--processes",
                Integer.toString(processes)));
        args.addAll(List.of(moreArgs));
        // Processes' spare JVMs only where a test asks for them: the test machine is small
        if (!args.contains("--max-processes")) args.addAll(List.of("--max-processes", "0"));
        Redis redis = Redis.connect(testRedis.uri(), testRedis.prefix(), Duration.ofSeconds(2), 2);
        LocalWorker worker = LocalWorker.start(id, log, args);
        TestWorker started = new TestWorker(id, worker, redis, testRedis, queue);
        try {
            worker.awaitChildren(redis, processes, START_TIMEOUT);
        } catch (RuntimeException | InterruptedException e) {
            started.close();
            throw e;
        }
        return started;
    }

    String id() {
        return id;
    }

    LocalWorker process() {
        return worker;
    }

    /** The test's own connection, on the test class's prefix. */
    Redis redis() {
        return redis;
    }

    Path log() {
        return worker.log();
    }

    /** The worker's newest heartbeat; empty once it has expired or was cleared. */
    Optional<WorkerHeartbeat> heartbeat() {
        return worker.heartbeat(redis);
    }

    /** Pids of the live children, as the last heartbeat listed them. */
    List<Long> children() {
        return heartbeat().map(WorkerHeartbeat::children).orElse(List.of());
    }

    /** A plain connection to the test's Redis, for writing and inspecting keys directly. */
    UnifiedJedis raw() {
        return testRedis.raw();
    }

    /** SIGTERM; returns the exit status. */
    int stop() throws InterruptedException {
        return worker.stop();
    }

    /** A client on the test's prefix, connected on first use and closed with this worker. */
    synchronized Forklift client() {
        if (client == null)
            client = Forklift.connect(ForkliftOptions.of(testRedis.uri()).withPrefix(testRedis.prefix()));
        return client;
    }

    /** A pool on this worker's queue with the given cluster-wide cap, from {@link #client()}. */
    Pool pool(int cap) {
        return client().pool(queue, cap);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            if (client != null) client.close();
            worker.close();
        } finally {
            redis.close();
        }
    }
}
