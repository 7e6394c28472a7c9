package io.forklift.worker;

import io.forklift.ChildProcessDiedException;
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
    private final Parking parking;
    private final RunStops stops;
    private boolean tripOut;
    private boolean tripClaims; // the trip out runs claim.lua (a claim, slot asks, or a give-back)
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
            Waking waker,
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
        this.parking = new Parking(waker);
        this.pacer = new ClaimPacer(config.queues(), parking::ask);
        this.intake = new Intake(catalog, config.workerId(), config.authkey(), completions);
        this.handoffs = new Handoffs(children, held, completions, metrics);
        this.stops = new RunStops(held, completions, metrics);
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
            while (!abandoned && !drained()) {
                WorkerEvent first = events.poll(waitMillis(), TimeUnit.MILLISECONDS);
                if (first != null) handle(first);
                WorkerEvent next;
                while ((next = events.poll()) != null) handle(next);
                stops.timeouts();
                stops.leasesLost(held.expired(System.nanoTime()), "its lease ran out before Redis could renew it");
                if (draining) {
                    parking.unpark();
                    held.releaseBuffered();
                    children.stop(); // idle children exit now, busy ones after their task; none is replaced
                }
                handoffs.dispatch();
                if (sendTrip(true)) { // made here: start what it claimed; the next goes through the fetcher
                    handoffs.dispatch();
                    sendTrip(false);
                }
                if (parking.asked() && parking.arm(claimToPark())) pacer.parked();
                leased = held.count();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Drained once nothing is owed to Redis (a trip out that carries no work is not waited for) and
     * no parked claim may still lease tasks, to give back.
     */
    private boolean drained() {
        return draining && held.settled() && completions.isEmpty() && !(tripOut && tripCarries) && !parking.parked();
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
                stops.stop(r.id());
                held.release(r.task().claimed());
                r.child().kill(); // its exit event finds no running task, so nothing is completed
            }
        } else if (event instanceof WorkerEvent.Revoked r) {
            if (held.holds(r.taskId())) held.renewSoon(); // the renewal reports the lease lost and stops it
        } else if (event instanceof WorkerEvent.Signal s && held.running(s.taskId()) != null) {
            held.running(s.taskId()).child().signal(s.signal()); // a Process's terminate/kill; its exit ends it with -N
        } else if (event instanceof WorkerEvent.ClaimedOnWake w) {
            claimedOnWake(w);
        } else if (event instanceof WorkerEvent.Wake) {
            pacer.woken();
        }
    }

    /**
     * A trip that only claims, for the children idle now and the buffer, to park behind the waker's
     * wait; null if there is no room or it may not park: a claiming trip is out (claims never overlap,
     * so none gives back what another just leased) or a lost reply left leases to give back first.
     */
    private Trip claimToPark() {
        if (draining || lastTripFailed || held.owesGiveBack() || (tripOut && tripClaims)) return null;
        ClaimPlan plan = ClaimPlan.of(held, children, config.prefetch(), pacer.queue(), true, handoffs.runsShort());
        return plan.count() == 0 || !plan.asks().isEmpty() ? null : Trip.claimOnly(pacer.queue(), plan);
    }

    /** Sends the next round trip if none is out and one has work; {@code here}: makes it on this thread if nothing is held. */
    private boolean sendTrip(boolean here) {
        if (tripOut) return false;
        boolean claiming = pacer.wanted() && !draining;
        if (claiming && parking.parked()) { // claims never overlap: the parked one runs now and reports first
            parking.unpark();
            claiming = false;
        }
        ClaimPlan plan = ClaimPlan.of(held, children, config.prefetch(), pacer.queue(), claiming, handoffs.runsShort());
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
        tripClaims = trip.callsClaim();
        trips.send(trip);
        tripOut = true;
        return false;
    }

    private void tripDone(Trip.Outcome outcome) {
        tripOut = false;
        Trip trip = outcome.trip();
        if (landed(outcome, tripSentNanos) && trip.asked() > 0)
            pacer.claimed(
                    trip.asked(), outcome.claimed().size() + outcome.granted().size());
    }

    /** The claim parked behind the waker's wait reported: as a wake-up, with what it leased. */
    private void claimedOnWake(WorkerEvent.ClaimedOnWake w) {
        parking.reported();
        Trip.Outcome outcome = w.outcome(); // null: it did not count, a plain wake-up
        if (outcome != null && landed(outcome, w.sentNanos()))
            pacer.claimedOnWake(w.trip().claimCount(), outcome.claimed().size());
        else pacer.woken();
    }

    /** Takes in what a round trip (sent at {@code sentNanos}) brought; false if it failed. */
    private boolean landed(Trip.Outcome outcome, long sentNanos) {
        Trip trip = outcome.trip();
        lastTripFailed = outcome.error() != null;
        if (lastTripFailed) {
            // Keep the results and give-backs; the next trip carries them again (both scripts ignore a
            // repeat) and, as its claim may have run, gives back what this worker holds unknowingly.
            completions.restore(trip);
            held.tripFailed(trip);
            return false;
        }
        held.tripArrived();
        outcome.owed().forEach(completions::owe);
        stops.leasesLost(outcome.lost(), "it was requeued, cancelled or leased to another worker");
        held.renewed(trip.renewals(), sentNanos);
        completions.rejectedAsStale(outcome.stale());
        held.granted(outcome.granted());
        for (Trip.Claimed c : outcome.claimed()) accept(c, sentNanos);
        return true;
    }

    /** Buffers a claimed task for a child, once {@link Intake} has checked it; one that cannot run is dead-lettered there. */
    private void accept(Trip.Claimed c, long sentNanos) {
        Trip.Accepted accepted = intake.check(c);
        if (accepted == null) return;
        if (held.holds(c.id())) {
            // Requeued (its lease ran out) and claimed here again before a renewal told us: the old attempt stops.
            stops.leasesLost(List.of(c.id()), "it was claimed again as attempt " + c.attempt());
        }
        held.buffer(accepted, sentNanos);
    }

    /** How long the loop may wait for an event: until the nearest task deadline, at most a second. */
    private long waitMillis() {
        return Running.millisToNearestDeadline(held.running(), System.nanoTime(), draining ? 100 : 1000);
    }

    private void finished(Child child, ChildProtocol.Result result) {
        Running r = held.running(result.id());
        if (r == null || r.child() != child) { // stopped, or run again elsewhere since: this result is stale
            log.warn("child {} reported task {}, which it was not running", child.pid(), result.id());
            return;
        }
        stops.stop(result.id());
        completions.ended(r.task(), result.ok(), result.replyJson());
        handoffs.ended(r, child, result.runNanos());
        pacer.freed(held.count() > held.running().size());
    }

    private void exited(Child child, int exitCode) {
        String taskId = child.runningTaskId();
        Running mine = taskId == null ? null : held.running(taskId);
        // The task may run on another child by now (claimed again after a lost lease).
        Running r = mine != null && mine.child() == child ? stops.stop(taskId) : null;
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
}
