package io.forklift.worker;

import io.forklift.ChildProcessDiedException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands buffered tasks to children. Each task that may start (it holds a slot, or takes one a run
 * freed) goes to an idle child; when the kind of task a child runs is short ({@link RunTimes}), the
 * child also gets one to wait in its stdin behind that run, before the next idle child is woken,
 * and a busy child running a short task gets one as soon as one is buffered. A waiting task that holds
 * a slot keeps it while it waits (a short run's time); one without is of the same queue and pool as
 * the run ahead of it and takes that run's slot as the run ends (the next round trip reports it with
 * the run's completion, as a prefetched task's start on a freed slot). Either way it starts as the run
 * ahead ends, with no round trip or worker wake-up between: a child runs short tasks back to back,
 * woken once for two. If the run ahead does not end with a result (its child dies or is killed), the
 * waiting task goes back to the buffer untouched. Used from the dispatcher thread only.
 */
final class Handoffs {
    private static final Logger log = LoggerFactory.getLogger(Handoffs.class);

    private final ChildPool children;
    private final HeldTasks held;
    private final Completions completions;
    private final WorkerMetrics metrics;
    private final RunTimes runTimes = new RunTimes();

    Handoffs(ChildPool children, HeldTasks held, Completions completions, WorkerMetrics metrics) {
        this.children = children;
        this.held = held;
        this.completions = completions;
        this.metrics = metrics;
    }

    /**
     * Starts what may start on idle children, each with one to follow it if it is short; then hands a
     * follower to each busy child running a short task that has none. Short tasks go two to a child
     * before the next child is woken: waiting behind a short run costs less than a child's wake-up.
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
        }
        for (Running head : held.running()) follow(head); // follow() changes no run
    }

    /** Hands the child running {@code head} a task to wait behind it, if the run is short and one may follow it. */
    private void follow(Running head) {
        if (!children.mayTakeAnother(head.child()) || !runTimes.isShort(head.taskName())) return;
        Trip.Accepted a = held.follower(head);
        if (a == null) return;
        try {
            hand(a, head.child());
            metrics.followed();
        } catch (IOException e) {
            held.unhand(a.claimed().id(), head.child()); // the child is gone; its exit event ends the run ahead
        }
    }

    /**
     * Run {@code r} ended in {@code child} with a result, after {@code runNanos} there: the task waiting behind it starts there on its
     * slot, or the child is idle again. A waiting task whose lease was lost meanwhile is starting in the
     * child with nothing to stop it but the child's end, so the child is killed.
     */
    void ended(Running r, Child child, long runNanos) {
        runTimes.ran(r.taskName(), runNanos);
        runTimes.ran(RunTimes.ANY, runNanos);
        String waiting = child.waitingTaskId();
        if (waiting == null) {
            children.release(child);
            return;
        }
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

    /** Whether this worker's recent runs, of any kind, were short: then each task claimed to start gets one to follow it. */
    boolean runsShort() {
        return children.takesFollowers() && runTimes.isShort(RunTimes.ANY);
    }

    /** {@code child} ended: a task that waited in it, never started, goes back to the buffer for another child. */
    void childEnded(Child child) {
        String waiting = child.waitingTaskId();
        if (held.unhand(waiting, child)) {
            log.info(
                    "child {} ended before task {}, which waited behind its run, started; it goes to another child",
                    child.pid(),
                    waiting);
        }
    }

    /** Writes the task into the child's stdin. */
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
