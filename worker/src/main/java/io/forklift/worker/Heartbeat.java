package io.forklift.worker;

import io.forklift.redis.Redis;
import io.forklift.redis.Workers;
import io.forklift.wire.WorkerHeartbeat;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this worker's presence every interval: a {@link WorkerHeartbeat} (host, pid, queues,
 * children's pids, busy children, metrics port, counters) that expires after three missed beats.
 * {@code forklift status}, the coordinator's metrics and the tests read the children's pids from it.
 */
final class Heartbeat {
    static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    private final Workers workers;
    private final WorkerConfig config;
    private final ChildPool children;
    private final WorkerMetrics metrics;
    private final String host;
    private final int metricsPort;
    private final long startedAt = System.currentTimeMillis();
    private final java.util.function.Supplier<java.util.List<Long>> processChildren;

    Heartbeat(
            Redis redis,
            WorkerConfig config,
            ChildPool children,
            java.util.function.Supplier<java.util.List<Long>> processChildren,
            WorkerMetrics metrics,
            String host,
            int metricsPort) {
        this.processChildren = processChildren;
        this.workers = new Workers(redis);
        this.config = config;
        this.children = children;
        this.metrics = metrics;
        this.host = host;
        this.metricsPort = metricsPort;
    }

    /** Called at a fixed rate by the daemon's scheduler; never throws, so the schedule goes on. */
    void beat() {
        try {
            workers.publish(
                    new WorkerHeartbeat(
                            config.workerId(),
                            host,
                            ProcessHandle.current().pid(),
                            config.queues(),
                            config.processes(),
                            children.pids(),
                            metrics.busyChildren(),
                            metricsPort,
                            children.lastStartMillis(),
                            metrics.started(),
                            metrics.count(WorkerMetrics.Outcome.SUCCEEDED),
                            metrics.failedRuns(),
                            metrics.staleRejected(),
                            metrics.leasesLost(),
                            startedAt,
                            System.currentTimeMillis(),
                            children.states(),
                            processChildren.get(),
                            children.allReadyMillis()),
                    INTERVAL.multipliedBy(3));
        } catch (RuntimeException e) {
            log.debug("heartbeat not stored: {}", e.getMessage());
        }
    }

    /** Removes this worker's presence at a clean exit. */
    void clear() {
        try {
            workers.clear(config.workerId());
        } catch (RuntimeException e) {
            log.debug("heartbeat not cleared: {}", e.getMessage());
        }
    }
}
