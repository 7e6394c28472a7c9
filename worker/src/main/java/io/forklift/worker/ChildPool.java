package io.forklift.worker;

import io.forklift.redis.Backoff;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's children: keeps {@code processes} of them alive, hands idle ones out, recycles one
 * after {@code maxTasksPerChild} tasks and replaces one that dies, with a growing delay while
 * children keep crashing before any finishes a task. Starting a JVM takes a while, so
 * launches run on their own threads and announce the child with a {@link WorkerEvent.ChildReady};
 * at most one JVM per core starts at a time, since starts are CPU-bound: eight at once on two cores
 * made each take 2.6 s and the first ready no sooner than the last.
 * Used from the dispatcher thread, except {@link #pids()}, {@link #aliveCount()} and
 * {@link #startingCount()}, which the heartbeat and metrics read.
 *
 * <p>With {@code spares} above 0 (the process side) each child runs one task, a Process, and
 * exits: the pool keeps {@code spares} started children waiting, up to {@code size} in all, and
 * starts the next spare as one is taken, so a Process never waits for a JVM to start.
 */
final class ChildPool {
    private static final Logger log = LoggerFactory.getLogger(ChildPool.class);

    private final Child.Starter launcher;
    private final int size;
    private final int maxTasksPerChild;
    private final int spares;
    private final BlockingQueue<WorkerEvent> events;
    private final WorkerMetrics metrics;
    private final ArrayDeque<Child> idle = new ArrayDeque<>();
    private final Set<Child> alive = ConcurrentHashMap.newKeySet();
    private final ExecutorService launches = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "child-launcher");
        t.setDaemon(true);
        return t;
    });
    /**
     * One JVM start per core in this whole JVM, not per pool: the process side's spare and the pool's
     * children start together, and each more at once only slows all of them.
     */
    private static final Semaphore START_SLOTS =
            new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));

    private volatile long lastStartMillis;
    private Runnable readyListener = () -> {};
    private long startedNanos;
    private volatile long allReadyMillis; // written by the dispatcher thread only
    private final Backoff restartBackoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));
    private volatile int starting; // written by the dispatcher thread only
    private boolean stopping;

    ChildPool(
            Child.Starter launcher,
            int size,
            int maxTasksPerChild,
            BlockingQueue<WorkerEvent> events,
            WorkerMetrics metrics) {
        this(launcher, size, maxTasksPerChild, 0, events, metrics);
    }

    /** A pool of one-task children of which {@code spares} wait started (see the class comment). */
    static ChildPool ofSpares(
            Child.Starter launcher, int size, int spares, BlockingQueue<WorkerEvent> events, WorkerMetrics metrics) {
        return new ChildPool(launcher, size, 1, Math.min(spares, size), events, metrics);
    }

    private ChildPool(
            Child.Starter launcher,
            int size,
            int maxTasksPerChild,
            int spares,
            BlockingQueue<WorkerEvent> events,
            WorkerMetrics metrics) {
        this.spares = spares;
        this.launcher = launcher;
        this.metrics = metrics;
        this.size = size;
        this.maxTasksPerChild = maxTasksPerChild;
        this.events = events;
    }

    /** Runs {@code listener} on the dispatcher's thread each time a child becomes ready; set before {@link #start()}. */
    void onEachReady(Runnable listener) {
        this.readyListener = listener;
    }

    void start() {
        startedNanos = System.nanoTime();
        for (int i = 0; i < (spares > 0 ? spares : size); i++) launch("initial");
    }

    int idleCount() {
        return idle.size();
    }

    int busyCount() {
        return alive.size() - idle.size();
    }

    /**
     * The idle child that finished last: one after the other, sequential calls keep running in the same
     * child, whose code and data are still in the CPU's caches; a child idle longer has been pushed out
     * by everything else that ran (README, Performance: a round trip's run took 300–450 µs in a child
     * taken in turn, ~80 µs in the one just used).
     */
    Child takeIdle() {
        Child c = idle.pollLast();
        if (spares > 0) topUpSpares();
        return c;
    }

    /** Starts spares until {@code spares} wait (started or starting) or {@code size} children exist. */
    private void topUpSpares() {
        while (!stopping && idle.size() + starting < spares && alive.size() + starting < size) launch("spare");
    }

    void onReady(Child child) {
        starting--;
        if (stopping) {
            child.retire();
            return;
        }
        alive.add(child);
        lastStartMillis = child.startMillis();
        if (allReadyMillis == 0 && alive.size() == size)
            allReadyMillis = (System.nanoTime() - startedNanos) / 1_000_000;
        child.listen(events);
        idle.add(child);
        log.info("child {} ready in {} ms ({})", child.pid(), child.startMillis(), child.reason());
        readyListener.run();
    }

    void onStartFailed(String reason) {
        starting--;
        log.error("could not start a child: {}", reason);
        if (!stopping && alive.size() + starting < size && (spares == 0 || idle.size() + starting < spares)) {
            metrics.restarted(WorkerMetrics.Restart.START_FAILED);
            launch("replaced", restartBackoff.next());
        }
    }

    /**
     * Whether busy {@code child} may be handed another task to wait behind its running one: not a
     * Process's one-task JVM, not once stopping, not with {@link Handoffs#FOLLOWERS} waiting already,
     * and not past its share of tasks.
     */
    boolean mayTakeAnother(Child child) {
        return takesFollowers()
                && !stopping
                && child.waitingTaskIds().size() < Handoffs.FOLLOWERS
                && (maxTasksPerChild <= 0 || child.tasksRun() < maxTasksPerChild);
    }

    /** Whether its children may take a task to wait behind a running one: not a Process's one-task JVMs. */
    boolean takesFollowers() {
        return spares == 0;
    }

    /** A child finished its task and starts the one waiting behind it: it stays busy. */
    void passOn(Child child) {
        child.finished();
        restartBackoff.reset();
    }

    /** A child finished its task: back to idle, or retired once it has run its share. */
    void release(Child child) {
        child.finished();
        restartBackoff.reset(); // a child that finishes a task ends a crash streak
        if (spares > 0) {
            child.retire(); // a Process's JVM is its own: it exits, and a spare takes the next one
        } else if (maxTasksPerChild > 0 && child.tasksRun() >= maxTasksPerChild) {
            child.retire();
            metrics.restarted(WorkerMetrics.Restart.RECYCLED);
            launch("recycled");
        } else if (!stopping) {
            idle.add(child);
        } else {
            child.retire();
        }
    }

    /**
     * A child process ended; a replacement starts unless this one was recycled (its successor
     * already is). One that crashed is replaced after a backoff that grows while crashes repeat.
     */
    void onExit(Child child, int exitCode) {
        idle.remove(child);
        alive.remove(child);
        if (spares > 0) {
            topUpSpares();
            return;
        }
        boolean recycled = maxTasksPerChild > 0 && child.tasksRun() >= maxTasksPerChild && exitCode == 0;
        if (stopping || recycled) return;
        if (child.killed()) {
            log.warn("child {} was stopped (exit {}); starting a replacement", child.pid(), exitCode);
            metrics.restarted(WorkerMetrics.Restart.KILLED);
            launch("replaced");
        } else {
            Duration delay = restartBackoff.next();
            log.warn(
                    "child {} exited with {}; starting a replacement in {} ms",
                    child.pid(),
                    exitCode,
                    delay.toMillis());
            metrics.restarted(WorkerMetrics.Restart.CRASHED);
            launch("replaced", delay);
        }
    }

    /** Pids of the live children, for the heartbeat. */
    List<Long> pids() {
        return alive.stream().map(Child::pid).sorted().toList();
    }

    /** Each live child's pid, running task and start time, for the heartbeat (read from its thread). */
    List<io.forklift.wire.WorkerHeartbeat.ChildState> states() {
        return alive.stream()
                .sorted(java.util.Comparator.comparingLong(Child::pid))
                .map(c -> new io.forklift.wire.WorkerHeartbeat.ChildState(
                        c.pid(),
                        c.runningTaskId(),
                        ProcessHandle.of(c.pid())
                                .flatMap(h -> h.info().startInstant())
                                .map(java.time.Instant::toEpochMilli)
                                .orElse(0L)))
                .toList();
    }

    long lastStartMillis() {
        return lastStartMillis;
    }

    /** How long the first {@code size} children took to be all ready after {@link #start()}, ms; 0 until they were. */
    long allReadyMillis() {
        return allReadyMillis;
    }

    int aliveCount() {
        return alive.size();
    }

    int startingCount() {
        return starting;
    }

    /** No more launches; idle children are told to exit. Busy ones are retired as they finish. */
    void stop() {
        stopping = true;
        Child c;
        while ((c = idle.poll()) != null) c.retire();
    }

    /** Waits up to {@code timeout} for the children told to exit to end by themselves. */
    void awaitExit(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Child child : alive) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !child.awaitExit(Duration.ofNanos(left))) return;
        }
    }

    /** Kills whatever is still alive, with its process tree. */
    void killAll() {
        stopping = true;
        alive.forEach(Child::kill);
        launches.shutdownNow();
    }

    private void launch(String reason) {
        launch(reason, Duration.ZERO);
    }

    /** Starts a child after {@code delay} (a backoff when starts keep failing). */
    private void launch(String reason, Duration delay) {
        starting++;
        launches.execute(() -> {
            try {
                if (!delay.isZero()) Thread.sleep(delay.toMillis()); // backoff between failing starts
                START_SLOTS.acquire();
                try {
                    events.add(new WorkerEvent.ChildReady(launcher.start(reason)));
                } finally {
                    START_SLOTS.release();
                }
            } catch (Exception e) {
                events.add(new WorkerEvent.ChildFailedToStart(e.getMessage()));
            }
        });
    }
}
