package io.forklift.worker;

import io.forklift.redis.Redis;
import io.forklift.wire.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Publishes this worker's presence every interval: a hash {@code worker:<id>} (host, pid, queues,
 * children pids, busy children, metrics port, counters) that expires after three missed beats, and its score in {@code workers}.
 * Tests and {@code forklift status} read the children's pids from here.
 */
final class Heartbeat {
    static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    private final Redis redis;
    private final WorkerConfig config;
    private final ChildPool children;
    private final WorkerMetrics metrics;
    private final String host;
    private final int metricsPort;
    private final long startedAt = System.currentTimeMillis();

    Heartbeat(
            Redis redis, WorkerConfig config, ChildPool children, WorkerMetrics metrics, String host, int metricsPort) {
        this.redis = redis;
        this.config = config;
        this.children = children;
        this.metrics = metrics;
        this.host = host;
        this.metricsPort = metricsPort;
    }

    /** Called at a fixed rate by the daemon's scheduler; never throws, so the schedule goes on. */
    void beat() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("host", host);
        fields.put("pid", Long.toString(ProcessHandle.current().pid()));
        fields.put("queues", String.join(",", config.queues()));
        fields.put("processes", Integer.toString(config.processes()));
        fields.put("started", Long.toString(startedAt));
        fields.put("beat", Long.toString(System.currentTimeMillis()));
        fields.put("children", json(children.pids()));
        fields.put("busy", Integer.toString(metrics.busyChildren()));
        fields.put("metrics_port", Integer.toString(metricsPort));
        fields.put("child_start_ms", Long.toString(children.lastStartMillis()));
        fields.put("tasks_started", Long.toString(metrics.started()));
        fields.put("tasks_succeeded", Long.toString(metrics.count(WorkerMetrics.Outcome.SUCCEEDED)));
        fields.put("tasks_failed", Long.toString(metrics.failedRuns()));
        fields.put("stale_completions", Long.toString(metrics.staleRejected()));
        fields.put("leases_lost", Long.toString(metrics.leasesLost()));
        String key = redis.keys().worker(config.workerId());
        try {
            redis.jedis().hset(key, fields);
            redis.jedis().pexpire(key, INTERVAL.toMillis() * 3);
            redis.jedis().zadd(redis.keys().workers(), System.currentTimeMillis(), config.workerId());
        } catch (RuntimeException e) {
            log.debug("heartbeat not stored: {}", e.getMessage());
        }
    }

    /** Removes this worker's presence at a clean exit. */
    void clear() {
        try {
            redis.jedis().del(redis.keys().worker(config.workerId()));
            redis.jedis().zrem(redis.keys().workers(), config.workerId());
        } catch (JedisException e) {
            log.debug("heartbeat not cleared: {}", e.getMessage());
        }
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
