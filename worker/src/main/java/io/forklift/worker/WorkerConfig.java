package io.forklift.worker;

import io.forklift.redis.Keys;
import io.forklift.wire.Authkey;
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
 * @param execAllow         command lines the built-in {@code io.forklift.Exec} task may run
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
        int metricsPort) {
    public WorkerConfig {
        if (queues == null || queues.isEmpty())
            throw new IllegalArgumentException("give at least one queue with --queues");
        queues.forEach(Keys::checkQueue);
        queues = List.copyOf(queues);
        if (processes < 1) throw new IllegalArgumentException("--processes must be at least 1, got " + processes);
        if (maxTasksPerChild < 0)
            throw new IllegalArgumentException(
                    "--max-tasks-per-child must be 0 (never) or more, got " + maxTasksPerChild);
        if (prefetch < 0) throw new IllegalArgumentException("--prefetch must be 0 or more, got " + prefetch);
        if (lease.toMillis() < 1000) throw new IllegalArgumentException("--lease must be at least 1s, got " + lease);
        if (idleCheck.toMillis() < 100)
            throw new IllegalArgumentException("--idle-check must be at least 100ms, got " + idleCheck);
        if (maxResultBytes < 1024)
            throw new IllegalArgumentException("--max-result must be at least 1024 bytes, got " + maxResultBytes);
        if (maxPayloadBytes < 1024)
            throw new IllegalArgumentException("--max-payload must be at least 1024 bytes, got " + maxPayloadBytes);
        childJvmOptions = List.copyOf(childJvmOptions);
        execAllow = List.copyOf(execAllow);
    }
}
