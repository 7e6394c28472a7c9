package io.forklift.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.forklift.ChildProcessDiedException;
import io.forklift.TaskTimeoutException;
import io.forklift.redis.Keys;
import io.forklift.wire.RemoteError;
import io.forklift.wire.TaskHeader;
import io.forklift.worker.child.ChildProtocol;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's event loop, on one thread: hands claimed tasks to idle children, turns their
 * results into completions, and keeps the {@link Fetcher} supplied with one round trip at a time
 * (complete what finished, claim enough to fill the children plus the prefetch buffer). When every
 * served queue has run dry it arms the {@link Waker} and waits for events.
 */
final class Dispatcher implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final WorkerConfig config;
    private final Keys keys;
    private final TaskCatalog catalog;
    private final ChildPool children;
    private final Fetcher fetcher;
    private final Waker waker;
    private final BlockingQueue<WorkerEvent> events;
    private final String host;
    private final WorkerMetrics metrics;
    private final Map<String, Running> running = new HashMap<>();
    private final ArrayDeque<Trip.Accepted> buffer = new ArrayDeque<>();
    private final Completions completions;
    private final LeaseDeadlines leases;
    private Map<String, List<String>> releases = new LinkedHashMap<>();
    private final Set<String> unsureQueues =
            new LinkedHashSet<>(); // queues a trip whose reply was lost claimed from: this worker may hold leases there
    // it does not know of
    private boolean tripOut;
    private boolean wantClaim = true;
    private long wakes; // Wake events seen; a trip remembers the count it left with
    private long wakesAtTripStart;
    private long tripSentNanos;
    private long nextRenewalNanos;
    private int nextQueue;
    private int dryQueues;
    private volatile boolean draining;
    private volatile boolean abandoned;
    private volatile int leased; // running + buffered, published for scrapes from other threads

    /** A task handed to a child; {@code deadlineNanos} is 0 when it has no time limit. */
    private record Running(Trip.Accepted task, ChildProcess child, long deadlineNanos) {
        String queue() {
            return task.claimed().queue();
        }

        String taskName() {
            return task.header().task();
        }

        int attempt() {
            return task.claimed().attempt();
        }
    }

    Dispatcher(
            WorkerConfig config,
            Keys keys,
            TaskCatalog catalog,
            ChildPool children,
            Fetcher fetcher,
            Waker waker,
            BlockingQueue<WorkerEvent> events,
            String host,
            WorkerMetrics metrics) {
        this.config = config;
        this.keys = keys;
        this.catalog = catalog;
        this.children = children;
        this.fetcher = fetcher;
        this.waker = waker;
        this.events = events;
        this.host = host;
        this.completions = new Completions(config, keys, host, metrics);
        this.metrics = metrics;
        this.leases = new LeaseDeadlines(config.lease());
    }

    /**
     * Stops claiming and gives back the prefetched tasks; the loop ends once the running tasks are
     * done (or given back at {@link #graceOver()}) and everything is completed.
     */
    void drain() {
        draining = true;
        events.add(new WorkerEvent.Wake());
    }

    /** Ends the grace period: the children still running tasks are stopped and their tasks given back. */
    void graceOver() {
        events.add(new WorkerEvent.GraceOver());
    }

    /**
     * Gives up on a drain that cannot finish (Redis is gone, so nothing can be completed or given
     * back): the loop ends; the leases run out and housekeeping requeues those tasks.
     */
    void abandon() {
        abandoned = true;
        events.add(new WorkerEvent.Wake());
    }

    boolean abandoned() {
        return abandoned;
    }

    /** Tasks leased to this worker: running in children or waiting in the prefetch buffer. */
    int leasedCount() {
        return leased;
    }

    @Override
    public void run() {
        try {
            while (!abandoned
                    && !(draining
                            && running.isEmpty()
                            && buffer.isEmpty()
                            && completions.isEmpty()
                            && releases.isEmpty()
                            && !tripOut)) {
                WorkerEvent first = events.poll(waitMillis(), TimeUnit.MILLISECONDS);
                if (first != null) handle(first);
                WorkerEvent next;
                while ((next = events.poll()) != null) handle(next);
                enforceTimeouts();
                leasesLost(leases.expired(System.nanoTime()), "its lease ran out before Redis could renew it");
                if (draining) {
                    releaseBuffered();
                    children.stop(); // idle children exit now, busy ones after their task; none is replaced
                }
                dispatchBuffered();
                sendTrip();
                leased = running.size() + buffer.size();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(WorkerEvent event) {
        if (event instanceof WorkerEvent.TaskFinished f) {
            finished(f.child(), f.result());
        } else if (event instanceof WorkerEvent.TripDone t) {
            tripDone(t.outcome());
        } else if (event instanceof WorkerEvent.ChildReady r) {
            children.onReady(r.child());
            wantClaim = true;
        } else if (event instanceof WorkerEvent.ChildExited x) {
            exited(x.child(), x.exitCode());
        } else if (event instanceof WorkerEvent.ChildFailedToStart f) {
            children.onStartFailed(f.reason());
        } else if (event instanceof WorkerEvent.GraceOver) {
            log.warn("grace period over; giving back {} running tasks and stopping their children", running.size());
            for (String id : List.copyOf(running.keySet())) {
                Running r = stop(id);
                releaseArgs(r.queue()).addAll(List.of(id, Integer.toString(r.attempt())));
                r.child().kill(); // its exit event finds no running task, so nothing is completed
            }
        } else if (event instanceof WorkerEvent.Wake) {
            wantClaim = true;
            dryQueues = 0;
            wakes++;
        }
    }

    /** Sends the next round trip if none is out and there is something to complete, renew or claim. */
    private void sendTrip() {
        if (tripOut) return;
        int room = draining ? 0 : children.aliveCount() + config.prefetch() - running.size() - buffer.size();
        boolean claim = wantClaim && room > 0 && children.aliveCount() > 0;
        Map<String, List<String>> renewals = renewalsDue();
        if (completions.isEmpty() && !claim && renewals.isEmpty() && releases.isEmpty() && unsureQueues.isEmpty())
            return;
        String queue = config.queues().get(nextQueue);
        Map<String, List<String>> completing = completions.take();
        fetcher.send(new Trip(completing, renewals, releases, held(completing), queue, claim ? room : 0));
        releases = new LinkedHashMap<>();
        unsureQueues.clear();
        tripOut = true;
        wakesAtTripStart = wakes;
        tripSentNanos = System.nanoTime();
    }

    /**
     * The {@code renew.lua} arguments for every task leased here, once a third of the lease has
     * passed since the last renewal; empty otherwise. Renewing at a third leaves two chances before
     * a lease runs out.
     */
    private Map<String, List<String>> renewalsDue() {
        long now = System.nanoTime();
        if (now - nextRenewalNanos < 0 || (running.isEmpty() && buffer.isEmpty())) return Map.of();
        nextRenewalNanos = now + config.lease().toNanos() / 3;
        Map<String, List<String>> renewals = new LinkedHashMap<>();
        forEachHeld(c -> renewalArgs(renewals, c.queue()).addAll(List.of(c.id(), Integer.toString(c.attempt()))));
        return renewals;
    }

    private List<String> renewalArgs(Map<String, List<String>> renewals, String queue) {
        return renewals.computeIfAbsent(
                queue,
                q -> new ArrayList<>(
                        List.of(config.workerId(), Long.toString(config.lease().toMillis()))));
    }

    /**
     * For each queue in {@link #unsureQueues}, the ids of the tasks this worker holds there (see
     * claim.lua), counting those {@code completing} in the same trip: a NOSCRIPT re-run may run
     * their completion after the claim.
     */
    private Map<String, List<String>> held(Map<String, List<String>> completing) {
        Map<String, List<String>> held = new LinkedHashMap<>();
        for (String q : unsureQueues) held.put(q, new ArrayList<>(Completions.taskIds(completing.get(q))));
        forEachHeld(c -> {
            List<String> ids = held.get(c.queue());
            if (ids != null) ids.add(c.id());
        });
        return held;
    }

    /** Every task leased here: running in a child, then waiting in the prefetch buffer. */
    private void forEachHeld(Consumer<Trip.Claimed> action) {
        for (Running r : running.values()) action.accept(r.task().claimed());
        for (Trip.Accepted a : buffer) action.accept(a.claimed());
    }

    /** A draining worker runs no more prefetched tasks: they go back to the queue. */
    private void releaseBuffered() {
        Trip.Accepted a;
        while ((a = buffer.poll()) != null) {
            releaseArgs(a.claimed().queue())
                    .addAll(List.of(
                            a.claimed().id(), Integer.toString(a.claimed().attempt())));
            leases.forget(a.claimed().id());
        }
    }

    private List<String> releaseArgs(String queue) {
        return releases.computeIfAbsent(queue, q -> new ArrayList<>(List.of(config.workerId())));
    }

    /**
     * Leases this worker no longer holds, or can no longer count on: the task may run elsewhere, so
     * stop it here; its result would be rejected.
     */
    private void leasesLost(List<String> ids, String why) {
        for (String id : ids) {
            buffer.removeIf(a -> a.claimed().id().equals(id));
            leases.forget(id);
            Running r = stop(id);
            log.warn(
                    "lost the lease of task {} ({}); {}",
                    id,
                    why,
                    r == null ? "dropping it" : "stopping child " + r.child().pid());
            if (r != null) r.child().kill(); // its exit event replaces the child; no completion is sent
            metrics.leaseLost();
        }
    }

    private void tripDone(Trip.Outcome outcome) {
        tripOut = false;
        Trip trip = outcome.trip();
        if (outcome.error() != null) {
            // Keep the results and releases; the next trip carries them again (both scripts ignore a repeat).
            completions.restore(trip.completions());
            trip.releases().forEach((q, args) -> releaseArgs(q).addAll(args.subList(1, args.size())));
            // Its claim may have run in Redis all the same (a hung server runs what it had buffered
            // when it resumes); the next trip gives back whatever this worker holds without knowing.
            unsureQueues.addAll(trip.held().keySet());
            if (trip.claimCount() > 0) unsureQueues.add(trip.claimQueue());
            return;
        }
        if (outcome.givenBack() > 0) {
            log.warn(
                    "gave back {} tasks claimed by a round trip whose reply was lost (queues {})",
                    outcome.givenBack(),
                    trip.held().keySet());
        }
        leasesLost(outcome.lost(), "it was requeued, cancelled or leased to another worker");
        leases.renewed(renewedIds(trip), tripSentNanos);
        if (!outcome.stale().isEmpty()) {
            metrics.staleRejected(outcome.stale().size());
            log.warn(
                    "{} completions rejected as stale (this worker no longer holds their leases: they were leased again, or a round trip "
                            + "whose reply was lost completed them already): {}",
                    outcome.stale().size(),
                    outcome.stale());
        }
        if (trip.claimCount() == 0) return;
        for (Trip.Claimed c : outcome.claimed()) accept(c);
        if (wakes != wakesAtTripStart) {
            // Work was announced while this trip was out, perhaps after its claim ran: claim again now
            // rather than conclude the queue is dry (the announcing token has been consumed).
            wantClaim = true;
        } else if (outcome.claimed().size() < trip.claimCount()) {
            nextQueue = (nextQueue + 1) % config.queues().size();
            if (++dryQueues >= config.queues().size()) {
                wantClaim = false;
                dryQueues = 0;
                waker.arm();
            }
        } else {
            dryQueues = 0;
        }
    }

    /** Checks a claimed task and buffers it for a child; a task that cannot run is dead-lettered. */
    private void accept(Trip.Claimed c) {
        TaskHeader header;
        try {
            header = TaskHeader.read(c.json()).validate();
        } catch (JsonProcessingException e) {
            completions.deadLetter(
                    c,
                    "",
                    "invalid_json",
                    "task " + c.id() + " in queue '" + c.queue() + "' is not valid JSON: " + e.getOriginalMessage());
            return;
        } catch (IOException | IllegalArgumentException e) {
            completions.deadLetter(
                    c,
                    "",
                    "schema",
                    "task " + c.id() + " in queue '" + c.queue() + "' has the wrong shape: " + e.getMessage());
            return;
        }
        if (!header.id().equals(c.id())) {
            completions.deadLetter(
                    c,
                    header.client(),
                    "schema",
                    "task queued as " + c.id() + " in queue '" + c.queue() + "' carries the id " + header.id());
            return;
        }
        if (!catalog.contains(header.task())) {
            completions.deadLetter(
                    c,
                    header.client(),
                    "unknown_task",
                    "task '" + header.task() + "' (queue '" + c.queue() + "') is not registered on worker "
                            + config.workerId() + "; it knows " + catalog.names());
            return;
        }
        if (leases.holds(c.id())) {
            // Requeued (its lease ran out) and claimed here again before a renewal told us: the old attempt stops.
            leasesLost(List.of(c.id()), "it was claimed again as attempt " + c.attempt());
        }
        buffer.add(new Trip.Accepted(c, header));
        leases.leased(List.of(c.id()), tripSentNanos);
    }

    private void dispatchBuffered() {
        while (!buffer.isEmpty() && children.idleCount() > 0) {
            Trip.Accepted a = buffer.poll();
            Trip.Claimed c = a.claimed();
            ChildProcess child = children.takeIdle();
            try {
                child.run(c.id(), c.attempt(), c.json());
                long timeout = a.header().timeoutMs();
                running.put(
                        c.id(),
                        new Running(
                                a,
                                child,
                                timeout == 0 ? 0 : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout)));
                metrics.taskStarted(c.id(), c.queue(), a.header().submittedAt());
            } catch (IOException e) {
                // The child died under us; its exit event replaces it. The task fails now.
                leases.forget(c.id());
                completions.ended(
                        a,
                        false,
                        completions.failure(
                                c.id(),
                                c.attempt(),
                                child.pid(),
                                RemoteError.of(
                                        ChildProcessDiedException.class,
                                        "child process " + child.pid() + " could not take task " + c.id() + ": "
                                                + e.getMessage())));
            }
        }
    }

    /** How long the loop may wait for an event: until the nearest task deadline, at most a second. */
    private long waitMillis() {
        long wait = draining ? 100 : 1000;
        long now = System.nanoTime();
        for (Running r : running.values()) {
            if (r.deadlineNanos() != 0)
                wait = Math.min(wait, Math.max(1, TimeUnit.NANOSECONDS.toMillis(r.deadlineNanos() - now) + 1));
        }
        return wait;
    }

    /** A task past its time limit: its child's process tree is killed and the task fails. */
    private void enforceTimeouts() {
        long now = System.nanoTime();
        List<String> overdue = new ArrayList<>();
        running.forEach((id, r) -> {
            if (r.deadlineNanos() != 0 && now - r.deadlineNanos() >= 0) overdue.add(id);
        });
        for (String id : overdue) {
            Running r = stop(id);
            log.warn(
                    "task {} exceeded its time limit; killing child {} and its process tree",
                    id,
                    r.child().pid());
            r.child().kill(); // its exit event finds no running task; a fresh child replaces it
            completions.ended(
                    r.task(),
                    false,
                    completions.failure(
                            id,
                            r.attempt(),
                            r.child().pid(),
                            RemoteError.of(
                                    TaskTimeoutException.class,
                                    "task " + id + " exceeded its time limit; its child process "
                                            + r.child().pid() + " and everything it started were killed")));
        }
    }

    private void finished(ChildProcess child, ChildProtocol.Result result) {
        Running r = stop(result.id());
        if (r == null) {
            log.warn("child {} reported task {}, which it was not running", child.pid(), result.id());
            return;
        }
        completions.ended(r.task(), result.ok(), result.replyJson());
        children.release(child);
        wantClaim = true;
    }

    private void exited(ChildProcess child, int exitCode) {
        String taskId = child.runningTaskId();
        Running mine = taskId == null ? null : running.get(taskId);
        Running r =
                mine != null && mine.child() == child ? stop(taskId) : null; // the task may run on another child by now
        if (r != null) {
            RemoteError error = RemoteError.of(
                    ChildProcessDiedException.class,
                    "child process " + child.pid() + " on " + host + " exited with " + exitCode + " while running task "
                            + taskId);
            completions.ended(r.task(), false, completions.failure(taskId, r.attempt(), child.pid(), error));
        }
        children.onExit(child, exitCode);
    }

    /** The task ids of a trip's {@code renew.lua} arguments: worker, lease, then id and attempt pairs. */
    private static List<String> renewedIds(Trip trip) {
        List<String> ids = new ArrayList<>();
        trip.renewals().values().forEach(args -> {
            for (int i = 2; i < args.size(); i += 2) ids.add(args.get(i));
        });
        return ids;
    }

    /** Takes a task off the running set (null if it was not running); its child stops counting as busy. */
    private Running stop(String id) {
        leases.forget(id);
        Running r = running.remove(id);
        if (r != null) metrics.taskStopped(id, r.queue(), r.taskName());
        return r;
    }
}
