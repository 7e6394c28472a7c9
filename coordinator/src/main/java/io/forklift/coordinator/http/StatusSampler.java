package io.forklift.coordinator.http;

import io.forklift.coordinator.ClusterStatus;
import io.forklift.redis.Queues;
import io.forklift.redis.Redis;
import io.forklift.wire.WorkerHeartbeat;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's recent past for the status page: every few seconds, busy and total children of the
 * live workers and each active queue's count of ended tasks, kept for the last ten minutes. Each
 * coordinator keeps its own (a page behind a load balancer shows one coordinator's history); the
 * figures of the moment are read from Redis on every request.
 */
final class StatusSampler {
    private static final Logger log = LoggerFactory.getLogger(StatusSampler.class);
    static final Duration EVERY = Duration.ofSeconds(2);
    static final Duration KEEP = Duration.ofMinutes(10);

    /** One sample: when, busy and total children, and each queue's ended-task counter. */
    record Sample(long at, int busy, int processes, Map<String, Long> completed) {}

    private final Redis redis;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    StatusSampler(Redis redis) {
        this.redis = redis;
    }

    /** Takes a sample (the timer calls it every {@link #EVERY}); never throws. */
    void sample() {
        try {
            add(ClusterStatus.readActive(redis));
        } catch (RuntimeException e) {
            log.debug("status sample skipped: {}", e.getMessage());
        }
    }

    synchronized void add(ClusterStatus status) {
        int busy = 0, processes = 0;
        for (WorkerHeartbeat w : status.workers()) {
            busy += w.busy();
            processes += w.processes();
        }
        Map<String, Long> completed = new LinkedHashMap<>();
        for (Queues.Depth d : status.queues()) completed.put(d.name(), d.completed());
        long now = System.currentTimeMillis();
        samples.addLast(new Sample(now, busy, processes, completed));
        while (!samples.isEmpty() && samples.peekFirst().at() < now - KEEP.toMillis()) samples.removeFirst();
    }

    synchronized List<Sample> history() {
        return new ArrayList<>(samples);
    }

    /**
     * Tasks of {@code queue} ended per second over about the last {@code window}, from the samples
     * and {@code nowCompleted} read just now; 0 without an older sample.
     */
    synchronized double rate(String queue, long nowCompleted, Duration window) {
        long now = System.currentTimeMillis();
        Sample base = null;
        for (Sample s : samples) {
            if (s.at() >= now - window.toMillis() && s.completed().containsKey(queue)) {
                base = s;
                break;
            }
        }
        if (base == null || now - base.at() < 500) return 0;
        return Math.max(0, nowCompleted - base.completed().get(queue)) * 1000.0 / (now - base.at());
    }
}
