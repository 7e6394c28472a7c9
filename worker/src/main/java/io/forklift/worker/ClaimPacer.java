package io.forklift.worker;

import java.util.List;

/**
 * When the dispatcher claims, and from which served queue: it claims while children have room,
 * moves to the next queue when one runs dry, and once every queue has come back short it stops
 * claiming and arms the waker, until a wake token or a freed child says work may be there. Used
 * from the dispatcher thread only.
 */
final class ClaimPacer {
    private final List<String> queues;
    private final Runnable armWaker;
    private boolean wanted = true;
    private long wakes; // Wake events seen; a trip remembers the count it left with
    private long wakesAtTripStart;
    private long frees; // children freed; likewise
    private long freesAtTripStart;
    private int nextQueue;
    private int dryQueues;

    ClaimPacer(List<String> queues, Runnable armWaker) {
        this.queues = List.copyOf(queues);
        this.armWaker = armWaker;
    }

    boolean wanted() {
        return wanted;
    }

    /** A child became free to take a task. */
    void want() {
        wanted = true;
        frees++;
    }

    /** Work may be waiting in Redis (a wake token, or the waker's periodic check). */
    void woken() {
        wanted = true;
        dryQueues = 0;
        wakes++;
    }

    /** The queue the next claim takes from. */
    String queue() {
        return queues.get(nextQueue);
    }

    void tripSent() {
        wakesAtTripStart = wakes;
        freesAtTripStart = frees;
    }

    /** A round trip that asked for {@code asked} tasks (0: it claimed none) got {@code got}. */
    void claimed(int asked, int got) {
        if (asked == 0) return;
        if (wakes != wakesAtTripStart || frees != freesAtTripStart) {
            // Work was announced, or a child freed (its run's slot now free for a capped pool's task),
            // while this trip was out, perhaps after its claim ran: claim again now rather than
            // conclude the queue is dry (the announcing token has been consumed).
            wanted = true;
        } else if (got < asked) {
            nextQueue = (nextQueue + 1) % queues.size();
            if (++dryQueues >= queues.size()) {
                wanted = false;
                dryQueues = 0;
                armWaker.run();
            }
        } else {
            dryQueues = 0;
        }
    }
}
