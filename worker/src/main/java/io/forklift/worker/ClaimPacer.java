package io.forklift.worker;

import java.util.List;

/**
 * When the dispatcher claims, and from which served queue: it claims while children have room,
 * moves to the next queue when one runs dry, and once every queue has come back short it stops
 * claiming and arms the waker, until a wake token says work may be there (or a new child starts, or a
 * child frees while a task held here waits for a slot). Used from the dispatcher thread only.
 */
final class ClaimPacer {
    private final List<String> queues;
    private final Runnable armWaker;
    private boolean wanted = true;
    private long wakes; // Wake events seen; a trip remembers the count it left with
    private long wakesAtTripStart;
    private long frees; // children freed; likewise
    private long freesAtTripStart;
    private long asks; // claims asked for by a new child, or a freed one while a buffered task waits for a slot
    private long asksAtPark; // when a claim parked behind the waker's wait
    private int nextQueue;
    private int dryQueues;
    private boolean dry; // every queue came back short since the last wake

    ClaimPacer(List<String> queues, Runnable armWaker) {
        this.queues = List.copyOf(queues);
        this.armWaker = armWaker;
    }

    boolean wanted() {
        return wanted;
    }

    /** A new child is ready to take a task. */
    void want() {
        wanted = true;
        frees++;
        asks++;
    }

    /**
     * A child finished its run and is free: claim for it, unless every queue came back short since the
     * last wake and no buffered task waits for a slot. Then a token says when work comes (every script
     * that makes a task ready leaves one, complete.lua too when a freed slot lets a waiting task run),
     * and the completion's round trip goes without a claim: its reply reaches the submitter a script
     * sooner.
     */
    void freed(boolean buffered) {
        if (!dry || buffered) wanted = true;
        if (buffered) asks++;
        frees++;
    }

    /** Work may be waiting in Redis (a wake token, or the waker's periodic check). */
    void woken() {
        wanted = true;
        dry = false;
        dryQueues = 0;
        wakes++;
    }

    /** A claim parked behind the waker's wait, for the children idle now. */
    void parked() {
        asksAtPark = asks;
    }

    /**
     * The parked claim ran, as a wake-up: it got {@code got} of the {@code asked} tasks. Short, the queue
     * is dry again and the waker is armed again, unless a new child, or a buffered task waiting for a
     * slot, asked for a claim meanwhile (the parked one did not count it): then claim for it.
     */
    void claimedOnWake(int asked, int got) {
        woken();
        if (got < asked && asks == asksAtPark) {
            wanted = false;
            dry = true;
            armWaker.run();
        }
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
                dry = true;
                dryQueues = 0;
                armWaker.run();
            }
        } else {
            dryQueues = 0;
            dry = false;
        }
    }
}
