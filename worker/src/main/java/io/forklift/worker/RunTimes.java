package io.forklift.worker;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How long each kind of task has been running in this worker's children, as a moving average, to
 * tell short tasks: a task waits inside a busy child behind a running one only when that one is of a
 * short kind, so it waits for no more than about that long, and the hand-off a child costs (its
 * wake-up, ~30 µs of its CPU) is saved where it weighs most. A kind never run here is not short.
 * Used from the dispatcher thread only.
 */
final class RunTimes {
    /**
     * Below this average a task is short: about what handing a task to a child costs in CPU (its
     * wake-up, the pipe's reads and writes), so waiting behind such a run beats waking another child.
     */
    static final long SHORT_NANOS = TimeUnit.MICROSECONDS.toNanos(250);
    /** Weight of the newest run: the average follows a change of a task's length within ~10 runs. */
    private static final double WEIGHT = 0.2;

    /** The name under which every run counts too: the average of this worker's recent runs. */
    static final String ANY = "";

    private final Map<String, Double> averageNanos = new HashMap<>();

    /** A run of task {@code task} took {@code nanos} in its child (as the child measured it: no wake-ups, no pipes). */
    void ran(String task, long nanos) {
        averageNanos.merge(task, (double) nanos, (old, now) -> old + WEIGHT * (now - old));
    }

    /** Whether runs of {@code task} average under {@link #SHORT_NANOS}. */
    boolean isShort(String task) {
        Double average = averageNanos.get(task);
        return average != null && average < SHORT_NANOS;
    }
}
