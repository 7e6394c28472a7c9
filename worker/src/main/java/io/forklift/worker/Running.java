package io.forklift.worker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A task handed to a child and running there; {@code deadlineNanos} is 0 when it has no time limit. */
record Running(Trip.Accepted task, Child child, long deadlineNanos) {
    String id() {
        return task.claimed().id();
    }

    String queue() {
        return task.claimed().queue();
    }

    String taskName() {
        return task.message().task();
    }

    int attempt() {
        return task.claimed().attempt();
    }

    /** The tasks of {@code running} past their time limit at {@code nowNanos}. */
    static List<Running> overdue(Collection<Running> running, long nowNanos) {
        List<Running> overdue = new ArrayList<>();
        for (Running r : running) {
            if (r.deadlineNanos() != 0 && nowNanos - r.deadlineNanos() >= 0) overdue.add(r);
        }
        return overdue;
    }

    /** Milliseconds from {@code nowNanos} to the nearest time limit of one of {@code running}, at most {@code capMillis}. */
    static long millisToNearestDeadline(Collection<Running> running, long nowNanos, long capMillis) {
        long wait = capMillis;
        for (Running r : running) {
            if (r.deadlineNanos() != 0) {
                wait = Math.min(wait, Math.max(1, TimeUnit.NANOSECONDS.toMillis(r.deadlineNanos() - nowNanos) + 1));
            }
        }
        return wait;
    }
}
