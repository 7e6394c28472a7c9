package io.forklift.worker;

/**
 * How the dispatcher waits for work once its queues ran dry: the {@link Waker}, or a test's fake.
 * Called from the dispatcher thread.
 */
interface Waking {
    /** Posts one {@link WorkerEvent.Wake} when a wake token comes, or after the idle check. */
    void arm();

    /**
     * As {@link #arm}, with {@code trip}'s claim run in Redis as the wait ends: a {@link
     * WorkerEvent.ClaimedOnWake} comes instead of the Wake, with the tasks already leased. False if
     * this waker cannot (it waits on several queues); then nothing is armed.
     */
    boolean park(Trip trip);

    /** Ends a parked claim's wait now: the claim still runs, and reports. */
    void unpark();
}
