package io.forklift.worker;

import io.forklift.ChildProcessDiedException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands buffered tasks to children. Each task that may start (it holds a slot, or takes one a run
 * freed) goes to an idle child; when the kind of task a child runs is short ({@link RunTimes}), the
 * child also gets up to {@link #FOLLOWERS} to wait in its stdin behind that run, before the next idle
 * child is woken, and a busy child running a short task gets them as soon as they are buffered. A
 * waiting task that holds a slot keeps it while it waits (a few short runs' time); one without takes
 * the slot of the task ahead of it as that one ends (the next round trip reports it with the run's
 * completion, as a prefetched task's start on a freed slot), so every task ahead of it in the child
 * is of its queue and pool. Either way it starts as the run ahead ends, with no round trip or worker
 * wake-up between: a child runs short tasks back to back, woken once for several. If a run ahead does
 * not end with a result (its child dies or is killed), the tasks waiting behind it go back to the
 * buffer untouched. Used from the dispatcher thread only.
 */
final class Handoffs {
    private static final Logger log = LoggerFactory.getLogger(Handoffs.class);

    private final ChildPool children;
    private final HeldTasks held;
    private final Completions completions;
    private final WorkerMetrics metrics;
    private final RunTimes runTimes = new RunTimes();

    /**
     * The most tasks that wait in one child behind its short run. Measured with the bench's no-op tasks
     * (README, Performance): against one waiting, 3 cut the children's CPU per task by a third and 5 by
     * half again; 8 gained no more within the noise. A waiting task is delayed by at most 5 short runs
     * (under 250 µs each).
     */
    static final int FOLLOWERS = 5;

    Handoffs(ChildPool children, HeldTasks held, Completions completions, WorkerMetrics metrics) {
        this.children = children;
        this.held = held;
        this.completions = completions;
        this.metrics = metrics;
    }

    /**
     * Starts what may start on idle children, each with tasks to follow it if it is short; then hands
     * followers to each busy child running a short task that has room for them. Short tasks go several
     * to a child before the next child is woken: waiting behind short runs costs less than a wake-up.
     */
    void dispatch() {
        for (Trip.Accepted a; children.idleCount() > 0 && (a = held.nextStartable()) != null; ) {
            Child child = children.takeIdle();
            try {
                hand(a, child);
            } catch (IOException e) {
                failUntaken(a, child, e);
                continue;
            }
            follow(start(a, child));
            send(child);
        }
        for (Running head : held.running()) { // follow() changes no run
            if (follow(head)) send(head.child());
        }
    }

    /**
     * Hands the child running {@code head} tasks to wait behind it, while the run is short and some may
     * follow it; whether it handed any.
     */
    private boolean follow(Running head) {
        Child child = head.child();
        boolean handed = false;
        while (children.mayTakeAnother(child) && runTimes.isShort(head.taskName())) {
            Trip.Accepted a = held.follower(head, child.waitingTaskIds(), runTimes::isShort);
            if (a == null) break;
            try {
                hand(a, child);
                metrics.followed();
                handed = true;
            } catch (IOException e) {
                held.unhand(a.claimed().id(), child); // the child is gone; its exit event ends the run ahead
                break;
            }
        }
        return handed;
    }

    /**
     * Sends what was handed to {@code child} in this pass, in one write. If it fails the child is gone:
     * its exit event fails the run it was handed and gives back the tasks that waited behind it.
     */
    private static void send(Child child) {
        try {
            child.send();
        } catch (IOException e) {
            log.info(
                    "child {} is gone before its tasks could be sent ({}); its exit ends them",
                    child.pid(),
                    e.getMessage());
        }
    }

    /**
     * Run {@code r} ended in {@code child} with a result, after {@code runNanos} there: the first task waiting behind it starts there
     * on its slot, or the child is idle again. A waiting task whose lease was lost meanwhile is starting in the
     * child with nothing to stop it but the child's end, so the child is killed (those behind it go back to the buffer).
     */
    void ended(Running r, Child child, long runNanos) {
        runTimes.ran(r.taskName(), runNanos);
        runTimes.ran(RunTimes.ANY, runNanos);
        List<String> line = child.waitingTaskIds();
        if (line.isEmpty()) {
            children.release(child);
            return;
        }
        String waiting = line.get(0);
        children.passOn(child);
        Trip.Accepted next = held.startHanded(waiting);
        if (next != null) {
            start(next, child);
        } else {
            log.warn(
                    "child {} starts task {}, whose lease this worker lost while it waited; stopping the child",
                    child.pid(),
                    waiting);
            child.kill(); // its exit event finds no running task and replaces the child
        }
    }

    /** Whether this worker's recent runs, of any kind, were short: then each task claimed to start gets {@link #FOLLOWERS} to follow it. */
    boolean runsShort() {
        return children.takesFollowers() && runTimes.isShort(RunTimes.ANY);
    }

    /** {@code child} ended: the tasks that waited in it, never started, go back to the buffer for other children. */
    void childEnded(Child child) {
        for (String waiting : child.waitingTaskIds()) {
            if (held.unhand(waiting, child)) {
                log.info(
                        "child {} ended before task {}, which waited behind its run, started; it goes to another child",
                        child.pid(),
                        waiting);
            }
        }
    }

    /** Puts the task into the child's stdin buffer; {@link #send(Child)} writes it out. */
    private static void hand(Trip.Accepted a, Child child) throws IOException {
        Trip.Claimed c = a.claimed();
        child.run(c.id(), c.attempt(), a.payload());
    }

    /** The child died under us before taking a task to start; its exit event replaces it. The task fails now. */
    private void failUntaken(Trip.Accepted a, Child child, IOException e) {
        String id = a.claimed().id();
        held.stop(id);
        completions.failed(
                a,
                child.pid(),
                ChildProcessDiedException.class,
                "child process " + child.pid() + " could not take task " + id + ": " + e.getMessage());
    }

    private Running start(Trip.Accepted a, Child child) {
        Trip.Claimed c = a.claimed();
        long timeout = a.message().timeoutMs();
        metrics.taskStarted(c.id(), c.queue(), a.message().submittedAt());
        return held.run(a, child, timeout == 0 ? 0 : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout));
    }
}
