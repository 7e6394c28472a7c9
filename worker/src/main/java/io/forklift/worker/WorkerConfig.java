package io.forklift.worker;

import static io.forklift.daemon.Limits.between;

import io.forklift.redis.Keys;
import io.forklift.wire.Authkey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A worker daemon's settings, validated once at start-up.
 *
 * @param redisUri          where the cluster's Redis is
 * @param prefix            the cluster's key prefix
 * @param queues            queues served, in priority order
 * @param processes         child processes (concurrent tasks) on this worker
 * @param maxTasksPerChild  a child is replaced after this many tasks; 0 = never
 * @param prefetch          tasks leased beyond the children, so a child that finishes gets its next
 *                          task without waiting for Redis; 0 = lease only what children can run
 * @param tasksDir          folder of task jars added to the children's class path; may be null
 * @param workerId          this worker's id in Redis
 * @param lease             how long a claimed task stays leased without renewal
 * @param resultTtl         how long results are kept
 * @param grace             how long SIGTERM lets running tasks finish
 * @param idleCheck         how often an idle worker looks for work without a wake token
 * @param execAllow         allow-list entries of the built-in {@code io.forklift.Exec} task: each the
 *                          exact argv it may run, with a {@code {name}} or {@code {name:REGEX}}
 *                          placeholder per argument a request may bring ({@link io.forklift.ExecEntry})
 * @param childJvmOptions   JVM options of each child
 * @param maxPayloadBytes   largest task message this worker reads; claim.lua dead-letters a larger
 *                          one ({@code too_large}) without returning it, so it never enters the heap
 * @param maxResultBytes    largest reply a child sends back; a larger result fails its task with
 *                          {@link io.forklift.ResultTooLargeException} (the child checks; the worker stops
 *                          a child whose frame is larger still)
 * @param authkey           the cluster secret: task messages are verified with it and replies signed;
 *                          null runs unsigned (anyone who can write to Redis can run tasks here)
 * @param metricsPort       port of the Prometheus endpoint {@code /metrics}; 0 = any free port, -1 = none
 *                          (checked by {@link io.forklift.daemon.MetricsServer})
 * @param metricsHost       address the metrics endpoint binds; null = 127.0.0.1
 */
public record WorkerConfig(
        String redisUri,
        String prefix,
        List<String> queues,
        int processes,
        int maxTasksPerChild,
        int prefetch,
        Path tasksDir,
        String workerId,
        Duration lease,
        Duration resultTtl,
        Duration grace,
        Duration idleCheck,
        List<String> execAllow,
        List<String> childJvmOptions,
        int maxPayloadBytes,
        int maxResultBytes,
        Authkey authkey,
        int metricsPort,
        String metricsHost) {
    /** Each child is a JVM of its own (about 150 MB); more than this on one host is a typo, not a plan. */
    static final int MAX_PROCESSES = 256;

    public WorkerConfig {
        if (queues == null || queues.isEmpty())
            throw new IllegalArgumentException("give at least one queue with --queues");
        queues.forEach(Keys::checkQueue);
        queues = List.copyOf(queues);
        between("--processes", processes, 1, MAX_PROCESSES, "each child is a JVM; run more workers for more");
        between("--max-tasks-per-child", maxTasksPerChild, 0, Integer.MAX_VALUE, "0 = never replace a child");
        between("--prefetch", prefetch, 0, 10_000, "");
        between("--lease", lease, Duration.ofSeconds(1), Duration.ofHours(1), "renewed every third of it");
        between(
                "--result-ttl",
                resultTtl,
                Duration.ofSeconds(5),
                Duration.ofDays(365),
                "a shorter one loses the replies of any client that is busy for a moment");
        between("--grace", grace, Duration.ZERO, Duration.ofDays(1), "");
        between("--idle-check", idleCheck, Duration.ofMillis(100), Duration.ofHours(1), "");
        between("--max-result", maxResultBytes, 1024, 512 << 20, "bytes");
        between("--max-payload", maxPayloadBytes, 1024, 512 << 20, "bytes");
        if (tasksDir != null && !Files.isDirectory(tasksDir))
            throw new IllegalArgumentException(
                    "--tasks " + tasksDir + " is not a folder; give the folder that holds the task jars");
        childJvmOptions = List.copyOf(childJvmOptions);
        execAllow = List.copyOf(execAllow);
        execAllow.forEach(io.forklift.ExecEntry::parse); // a bad entry stops the worker, saying what to change
    }
}
