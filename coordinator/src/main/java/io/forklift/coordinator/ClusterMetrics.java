package io.forklift.coordinator;

import io.forklift.redis.Outage;
import io.forklift.redis.Queues;
import io.forklift.redis.Redis;
import io.forklift.wire.WorkerHeartbeat;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster as one coordinator sees it, for Prometheus (names in the README's metrics table):
 * depths by state of the active queues (at most {@code topQueues} series of their own, the rest
 * summed; see {@link QueueSeries}), live workers and their busy processes, read from Redis by
 * {@link ClusterStatus#readActive} at each {@link #sample()}, and this coordinator's housekeeping counts.
 * Every coordinator exports the same cluster gauges, so dashboards take their {@code max}.
 */
public final class ClusterMetrics {
    private static final Logger log = LoggerFactory.getLogger(ClusterMetrics.class);
    private static final String[] STATES = {"ready", "delayed", "in_flight", "dead"};

    private final MeterRegistry registry;
    private final Redis redis;
    private final Housekeeper housekeeper;
    private final MultiGauge queueTasks;
    private final int topQueues;
    private volatile ClusterStatus last = new ClusterStatus(List.of(), List.of());
    private final Outage outage = new Outage();
    private final java.util.Set<String> counted = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** {@code topQueues}: the most queues with series of their own ({@code --metrics-queues}). */
    public ClusterMetrics(
            MeterRegistry registry, String coordinatorId, Redis redis, Housekeeper housekeeper, int topQueues) {
        if (topQueues < 1) throw new IllegalArgumentException("--metrics-queues must be at least 1, got " + topQueues);
        this.topQueues = topQueues;
        this.registry = registry;
        this.redis = redis;
        this.housekeeper = housekeeper;
        registry.config().commonTags("coordinator", coordinatorId);
        queueTasks = MultiGauge.builder("forklift.queue.tasks")
                .description(
                        "Tasks in each queue by state: ready, delayed (retry backoff), in_flight (leased), dead (dead-lettered)")
                .register(registry);
        Gauge.builder("forklift.workers.live", () -> last.workers().size())
                .description("Workers whose heartbeat has not expired")
                .register(registry);
        Gauge.builder(
                        "forklift.cluster.processes",
                        () -> last.workers().stream()
                                .mapToInt(w -> w.children().size())
                                .sum())
                .description("Child processes of all live workers")
                .register(registry);
        Gauge.builder(
                        "forklift.cluster.processes.busy",
                        () -> last.workers().stream()
                                .mapToInt(WorkerHeartbeat::busy)
                                .sum())
                .description("Child processes of all live workers that are running a task")
                .register(registry);
        FunctionCounter.builder("forklift.housekeeping.requeued", housekeeper, h -> h.requeued() - sum(h::requeued))
                .tag("queue", QueueSeries.OTHER)
                .description("Tasks whose lease ran out, requeued by this coordinator's housekeeping")
                .register(registry);
        FunctionCounter.builder(
                        "forklift.housekeeping.dead.lettered",
                        housekeeper,
                        h -> h.deadLettered() - sum(h::deadLettered))
                .tag("queue", QueueSeries.OTHER)
                .description(
                        "Tasks whose lease ran out max-attempts times, dead-lettered by this coordinator's housekeeping")
                .register(registry);
        Gauge.builder("forklift.coordinator.leader", () -> housekeeper.isLeader() ? 1 : 0)
                .description("1 while this coordinator holds the leader lease and runs housekeeping")
                .register(registry);
    }

    /** Reads the cluster from Redis; on failure the last reading stays. Never throws, so a schedule goes on. */
    public void sample() {
        try {
            ClusterStatus status = ClusterStatus.readActive(redis);
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (Queues.Depth q : QueueSeries.bounded(status.queues(), topQueues)) {
                long[] counts = {q.ready(), q.delayed(), q.leased(), q.dead()};
                for (int i = 0; i < STATES.length; i++)
                    rows.add(MultiGauge.Row.of(Tags.of("queue", q.name(), "state", STATES[i]), counts[i]));
            }
            // a queue's counters appear once it had a requeue or dead letter, up to topQueues of them
            for (String q : housekeeper.counted()) {
                if (counted.size() >= topQueues) break;
                if (counted.add(q)) countHousekeeping(q);
            }
            queueTasks.register(rows, true);
            last = status;
            long lasted = outage.endsAfterMillis();
            if (lasted >= 0) log.info("cluster metrics read from Redis again after {} ms", lasted);
        } catch (RuntimeException e) {
            if (outage.begins())
                log.warn("cluster metrics not read from Redis ({}); keeping the last reading", e.getMessage());
        }
    }

    /** The sum of {@code perQueue} over the queues with counters of their own. */
    private long sum(java.util.function.ToLongFunction<String> perQueue) {
        long n = 0;
        for (String q : counted) n += perQueue.applyAsLong(q);
        return n;
    }

    /** Registers the housekeeping counters of a queue (once; Micrometer returns the existing meter after that). */
    private void countHousekeeping(String queue) {
        FunctionCounter.builder("forklift.housekeeping.requeued", housekeeper, h -> h.requeued(queue))
                .tag("queue", queue)
                .description("Tasks whose lease ran out, requeued by this coordinator's housekeeping")
                .register(registry);
        FunctionCounter.builder("forklift.housekeeping.dead.lettered", housekeeper, h -> h.deadLettered(queue))
                .tag("queue", queue)
                .description(
                        "Tasks whose lease ran out max-attempts times, dead-lettered by this coordinator's housekeeping")
                .register(registry);
    }
}
