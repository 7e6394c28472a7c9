package io.forklift.worker;

import io.forklift.TaskTimeoutException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends runs this worker must not finish: past their time limit (the task fails as a timeout), or
 * whose lease it lost (the task may run elsewhere; nothing is completed). Used from the dispatcher
 * thread only.
 */
final class RunStops {
    private static final Logger log = LoggerFactory.getLogger(RunStops.class);

    private final HeldTasks held;
    private final Completions completions;
    private final WorkerMetrics metrics;

    RunStops(HeldTasks held, Completions completions, WorkerMetrics metrics) {
        this.held = held;
        this.completions = completions;
        this.metrics = metrics;
    }

    /** A task past its time limit: its child's process tree is killed and the task fails. */
    void timeouts() {
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

    /** Leases this worker no longer holds, or cannot count on: the task may run elsewhere, so stop it here. */
    void leasesLost(List<String> ids, String why) {
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
    Running stop(String id) {
        Running r = held.stop(id);
        if (r != null) metrics.taskStopped(id, r.queue(), r.taskName());
        return r;
    }
}
