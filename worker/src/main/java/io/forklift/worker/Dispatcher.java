package io.forklift.worker;

import io.forklift.ChildProcessDiedException;
import io.forklift.TaskTimeoutException;
import io.forklift.redis.TaskScripts.Lease;
import io.forklift.worker.child.ChildProtocol;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's event loop, on one thread: hands claimed tasks to children ({@link Handoffs}), turns their
 * results into completions, and keeps one round trip at a time going to Redis (complete what
 * finished, renew, claim enough to fill the children plus the prefetch buffer). What it holds is
 * kept by {@link HeldTasks}; when to claim, by the {@link ClaimPacer}.
 */
final class Dispatcher implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final WorkerConfig config;
    private final ChildPool children;
    private final Trip.Sender trips;
    private final BlockingQueue<WorkerEvent> events;
    private final String host;
    private final WorkerMetrics metrics;
    private final Completions completions;
    private final HeldTasks held;
    private final ClaimPacer pacer;
    private final Intake intake;
    private final Handoffs handoffs;
    private boolean tripOut;
    private boolean tripCarries; // the trip out carries completions, owed replies or give-backs
    private long tripSentNanos;
    private boolean lastTripFailed; // then trips go through the fetcher, which backs off, until one succeeds
    private volatile boolean draining;
    private volatile boolean abandoned;
    private volatile int leased; // running + buffered, published for scrapes from other threads

    Dispatcher(
            WorkerConfig config,
            TaskCatalog catalog,
            ChildPool children,
            Trip.Sender trips,
            Runnable armWaker,
            BlockingQueue<WorkerEvent> events,
            String host,
            WorkerMetrics metrics) {
        this.config = config;
        this.children = children;
        this.trips = trips;
        this.events = events;
        this.host = host;
        this.metrics = metrics;
        this.completions = new Completions(config, host, metrics);
        this.held = new HeldTasks(config.lease());
        this.pacer = new ClaimPacer(config.queues(), armWaker);
        this.intake = new Intake(catalog, config.workerId(), config.authkey(), completions);
        this.handoffs = new Handoffs(children, held, completions, metrics);
    }

    /** Told each task refused before it ran (unknown, unsigned, unreadable), with the reason. */
    void onRefused(java.util.function.BiConsumer<String, String> listener) {
        completions.onRefused(listener);
    }

    /** Stops claiming, gives back prefetched tasks; ends once running ones are done (or given back at graceOver). */
    void drain() {
        draining = true;
        events.add(new WorkerEvent.Wake());
    }

    /** Ends the grace period: the children still running tasks are stopped and their tasks given back. */
    void graceOver() {
        events.add(new WorkerEvent.GraceOver());
    }

    /** Gives up a drain that cannot finish (Redis is gone): the loop ends; housekeeping requeues the leases. */
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
            // Drained once nothing is owed to Redis: a trip out that carries no work is not waited for.
            while (!abandoned && !(draining && held.settled() && completions.isEmpty() && !(tripOut && tripCarries))) {
                WorkerEvent first = events.poll(waitMillis(), TimeUnit.MILLISECONDS);
                if (first != null) handle(first);
                WorkerEvent next;
                while ((next = events.poll()) != null) handle(next);
                enforceTimeouts();
                leasesLost(held.expired(System.nanoTime()), "its lease ran out before Redis could renew it");
                if (draining) {
                    held.releaseBuffered();
                    children.stop(); // idle children exit now, busy ones after their task; none is replaced
                }
                handoffs.dispatch();
                if (sendTrip(true)) { // made here: start what it claimed; the next goes through the fetcher
                    handoffs.dispatch();
                    sendTrip(false);
                }
                leased = held.count();
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
            pacer.want();
        } else if (event instanceof WorkerEvent.ChildExited x) {
            exited(x.child(), x.exitCode());
        } else if (event instanceof WorkerEvent.ChildFailedToStart f) {
            children.onStartFailed(f.reason());
        } else if (event instanceof WorkerEvent.GraceOver) {
            List<Running> stillRunning = List.copyOf(held.running());
            log.warn(
                    "grace period over; giving back {} running tasks and stopping their children", stillRunning.size());
            for (Running r : stillRunning) {
                stop(r.id());
                held.release(r.task().claimed());
                r.child().kill(); // its exit event finds no running task, so nothing is completed
            }
        } else if (event instanceof WorkerEvent.Revoked r) {
            if (held.holds(r.taskId())) held.renewSoon(); // the renewal reports the lease lost and stops it
        } else if (event instanceof WorkerEvent.Signal s && held.running(s.taskId()) != null) {
            held.running(s.taskId()).child().signal(s.signal()); // a Process's terminate/kill; its exit ends it with -N
        } else if (event instanceof WorkerEvent.Wake) {
            pacer.woken();
        }
    }

    /** Sends the next round trip if none is out and one has work; {@code here}: makes it on this thread if nothing is held. */
    private boolean sendTrip(boolean here) {
        if (tripOut) return false;
        ClaimPlan plan = ClaimPlan.of(
                held, children, config.prefetch(), pacer.queue(), pacer.wanted() && !draining, handoffs.runsShort());
        Map<String, List<Lease>> renewals = held.renewalsDue(System.nanoTime());
        boolean nothingDue = completions.isEmpty() && plan.equals(ClaimPlan.NONE) && renewals.isEmpty();
        if (nothingDue && !held.owesGiveBack()) return false;
        Trip trip = Trip.next(completions, held, renewals, plan, pacer.queue());
        pacer.tripSent();
        tripSentNanos = System.nanoTime();
        Trip.Outcome now = here && held.count() == 0 && !lastTripFailed ? trips.travelNow(trip) : null;
        if (now != null) {
            tripDone(now);
            return true;
        }
        tripCarries = trip.carriesWork();
        trips.send(trip);
        tripOut = true;
        return false;
    }

    private void tripDone(Trip.Outcome outcome) {
        tripOut = false;
        Trip trip = outcome.trip();
        lastTripFailed = outcome.error() != null;
        if (lastTripFailed) {
            // Keep the results and give-backs; the next trip carries them again (both scripts ignore a repeat).
            completions.restore(trip);
            held.tripFailed(trip);
            return;
        }
        held.tripArrived();
        outcome.owed().forEach(completions::owe);
        leasesLost(outcome.lost(), "it was requeued, cancelled or leased to another worker");
        held.renewed(trip.renewals(), tripSentNanos);
        completions.rejectedAsStale(outcome.stale());
        held.granted(outcome.granted());
        if (trip.asked() == 0) return;
        for (Trip.Claimed c : outcome.claimed()) accept(c);
        pacer.claimed(trip.asked(), outcome.claimed().size() + outcome.granted().size());
    }

    /** Buffers a claimed task for a child, once {@link Intake} has checked it; one that cannot run is dead-lettered there. */
    private void accept(Trip.Claimed c) {
        Trip.Accepted accepted = intake.check(c);
        if (accepted == null) return;
        if (held.holds(c.id())) {
            // Requeued (its lease ran out) and claimed here again before a renewal told us: the old attempt stops.
            leasesLost(List.of(c.id()), "it was claimed again as attempt " + c.attempt());
        }
        held.buffer(accepted, tripSentNanos);
    }

    /** How long the loop may wait for an event: until the nearest task deadline, at most a second. */
    private long waitMillis() {
        return Running.millisToNearestDeadline(held.running(), System.nanoTime(), draining ? 100 : 1000);
    }

    /** A task past its time limit: its child's process tree is killed and the task fails. */
    private void enforceTimeouts() {
        for (Running r : Running.overdue(held.running(), System.nanoTime())) {
            stop(r.id());
            log.warn(
                    "task {} exceeded its time limit; killing child {} and its process tree",
                    r.id(),
                    r.child().pid());
            r.child().kill(); // its exit event finds no running task; a fresh child replaces it
            completions.failed(
                    r.task(),
                    r.child().pid(),
                    TaskTimeoutException.class,
                    "task " + r.id()
                            + " exceeded its time limit; its child process "
                            + r.child().pid()
                            + " and everything it started were killed");
        }
    }

    private void finished(Child child, ChildProtocol.Result result) {
        Running r = held.running(result.id());
        if (r == null || r.child() != child) { // stopped, or run again elsewhere since: this result is stale
            log.warn("child {} reported task {}, which it was not running", child.pid(), result.id());
            return;
        }
        stop(result.id());
        completions.ended(r.task(), result.ok(), result.replyJson());
        handoffs.ended(r, child, result.runNanos());
        pacer.freed(held.count() > held.running().size());
    }

    private void exited(Child child, int exitCode) {
        String taskId = child.runningTaskId();
        Running mine = taskId == null ? null : held.running(taskId);
        // The task may run on another child by now (claimed again after a lost lease).
        Running r = mine != null && mine.child() == child ? stop(taskId) : null;
        if (r != null) {
            completions.failed(
                    r.task(),
                    child.pid(),
                    ChildProcessDiedException.class,
                    "child process " + child.pid() + " on " + host + " exited with " + exitCode + " while running task "
                            + taskId);
        }
        handoffs.childEnded(child);
        children.onExit(child, exitCode);
    }

    /** Leases this worker no longer holds, or cannot count on: the task may run elsewhere, so stop it here. */
    private void leasesLost(List<String> ids, String why) {
        for (String id : ids) {
            Child waitsIn = held.handedTo(id);
            Running r = held.lose(id);
            if (r != null) metrics.taskStopped(id, r.queue(), r.taskName());
            log.warn(
                    "lost the lease of task {} ({}); {}",
                    id,
                    why,
                    r != null
                            ? "stopping child " + r.child().pid()
                            : waitsIn != null
                                    ? "child " + waitsIn.pid() + ", where it waits behind a run, stops if it gets to it"
                                    : "dropping it");
            if (r != null) r.child().kill(); // its exit event replaces the child; no completion is sent
            metrics.leaseLost();
        }
    }

    /** Takes a task off the running set (null if it was not running); its child stops counting as busy. */
    private Running stop(String id) {
        Running r = held.stop(id);
        if (r != null) metrics.taskStopped(id, r.queue(), r.taskName());
        return r;
    }
}
