package io.forklift.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * This worker's meters (Prometheus names in the README's metrics table), every one tagged with the
 * worker id. Busy time is a counter that advances while tasks run, so utilization is
 * {@code rate(busy_seconds_total) / processes} over any window, short tasks included. Written from
 * the dispatcher and the child pool (one thread), read by scrapes and the heartbeat.
 */
final class WorkerMetrics {
    /** How a run ended, as the {@code outcome} label says it. */
    enum Outcome {
        SUCCEEDED,
        FAILED,
        RETRIED,
        DEAD_LETTERED;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Why a child was started in place of another, as the {@code reason} label says it. */
    enum Restart {
        RECYCLED,
        CRASHED,
        KILLED,
        START_FAILED;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1),
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60),
        Duration.ofSeconds(300)
    };

    private final MeterRegistry registry;
    private final Counter staleRejected;
    private final Counter leasesLost;
    private final Counter followed;
    // Meters by their tags, so the per-task path is a map lookup; written by the dispatcher thread only.
    private final Map<String, Timer> waitTimers = new HashMap<>();
    private final Map<List<String>, Timer> runTimers = new HashMap<>();
    private final Map<List<String>, Counter> outcomes = new HashMap<>();
    private final Map<String, Long> runningSince =
            new HashMap<>(); // task id -> System.nanoTime() at start; guarded by this
    private long finishedBusyNanos; // guarded by this
    private long started; // guarded by this

    WorkerMetrics(MeterRegistry registry, String workerId) {
        this.registry = registry;
        registry.config().commonTags("worker", workerId);
        FunctionCounter.builder("forklift.worker.busy", this, WorkerMetrics::busySeconds)
                .baseUnit("seconds")
                .description("Seconds children spent running tasks, summed over children; advances while tasks run")
                .register(registry);
        staleRejected = Counter.builder("forklift.completions.rejected")
                .description("Completions Redis rejected as stale: the task had been leased again")
                .register(registry);
        leasesLost = Counter.builder("forklift.leases.lost")
                .description("Tasks stopped here because their lease had passed to another worker")
                .register(registry);
        followed = Counter.builder("forklift.tasks.followed")
                .description("Tasks handed to a busy child to wait behind its short run, not in the worker's buffer")
                .register(registry);
        for (Restart r : Restart.values()) restarts(r); // every reason shows from the start, at 0
    }

    /** Adds the gauges that read the children and the dispatcher; once both exist. */
    void watch(int processes, ChildPool children, Dispatcher dispatcher) {
        IntSupplier alive = children::aliveCount;
        Gauge.builder("forklift.worker.processes", () -> processes)
                .description("Child processes this worker keeps (--processes)")
                .register(registry);
        Gauge.builder("forklift.worker.children", this::busyChildren)
                .tag("state", "busy")
                .description("Child processes by state: running a task, idle, or starting")
                .register(registry);
        Gauge.builder("forklift.worker.children", () -> Math.max(0, alive.getAsInt() - busyChildren()))
                .tag("state", "idle")
                .description("Child processes by state: running a task, idle, or starting")
                .register(registry);
        Gauge.builder("forklift.worker.children", children::startingCount)
                .tag("state", "starting")
                .description("Child processes by state: running a task, idle, or starting")
                .register(registry);
        Gauge.builder("forklift.worker.tasks.in.flight", dispatcher::leasedCount)
                .description("Tasks leased to this worker: running in children or prefetched")
                .register(registry);
    }

    /** A child starts the task {@code id}; {@code submittedAtMillis} (0 = unknown) gives its wait in the queue. */
    void taskStarted(String id, String queue, long submittedAtMillis) {
        long now = System.nanoTime();
        if (submittedAtMillis > 0) {
            waitTimers
                    .computeIfAbsent(
                            queue,
                            q -> Timer.builder("forklift.task.wait")
                                    .tag("queue", q)
                                    .serviceLevelObjectives(BUCKETS)
                                    .description("Time from submit to the start of a run in a child")
                                    .register(registry))
                    .record(Math.max(0, System.currentTimeMillis() - submittedAtMillis), TimeUnit.MILLISECONDS);
        }
        synchronized (this) {
            runningSince.put(id, now);
            started++;
        }
    }

    /** The run of {@code id} ended, however it ended: its child is no longer busy with it. */
    void taskStopped(String id, String queue, String task) {
        long ran;
        synchronized (this) {
            Long since = runningSince.remove(id);
            if (since == null) return;
            ran = System.nanoTime() - since;
            finishedBusyNanos += ran; // moved from running to finished under one lock, so the counter never steps back
        }
        runTimers
                .computeIfAbsent(
                        List.of(queue, task),
                        k -> Timer.builder("forklift.task.run")
                                .tags("queue", queue, "task", task)
                                .serviceLevelObjectives(BUCKETS)
                                .description("Run time of a task in its child")
                                .register(registry))
                .record(ran, TimeUnit.NANOSECONDS);
    }

    void outcome(String queue, String task, Outcome outcome) {
        outcomes.computeIfAbsent(
                        List.of(queue, task, outcome.label()),
                        k -> Counter.builder("forklift.tasks")
                                .tags("queue", queue, "task", task, "outcome", outcome.label())
                                .description("Task runs by how they ended")
                                .register(registry))
                .increment();
    }

    void restarted(Restart reason) {
        restarts(reason).increment();
    }

    void staleRejected(int n) {
        staleRejected.increment(n);
    }

    void leaseLost() {
        leasesLost.increment();
    }

    /** A task was handed to a busy child, to wait behind its short run. */
    void followed() {
        followed.increment();
    }

    synchronized long started() {
        return started;
    }

    /** Runs that ended in failure, whether or not the task ran again or was dead-lettered after. */
    long failedRuns() {
        return count(Outcome.FAILED) + count(Outcome.RETRIED) + count(Outcome.DEAD_LETTERED);
    }

    long count(Outcome outcome) {
        return (long) registry.find("forklift.tasks").tag("outcome", outcome.label()).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    long staleRejected() {
        return (long) staleRejected.count();
    }

    long leasesLost() {
        return (long) leasesLost.count();
    }

    private Counter restarts(Restart reason) {
        return Counter.builder("forklift.child.restarts")
                .tag("reason", reason.label())
                .description("Child processes started in place of another, by why")
                .register(registry);
    }

    synchronized int busyChildren() {
        return runningSince.size();
    }

    private synchronized double busySeconds() {
        long now = System.nanoTime();
        long busy = finishedBusyNanos;
        for (long since : runningSince.values()) busy += now - since;
        return busy / 1e9;
    }
}
