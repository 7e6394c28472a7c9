package io.forklift.worker;

import io.forklift.worker.child.ChildProtocol;

/** What the dispatcher thread reacts to; every other thread only posts these. */
sealed interface WorkerEvent {
    /** A new child said hello and can take a task. */
    record ChildReady(Child child) implements WorkerEvent {}

    /** A child sent the result of its task. */
    record TaskFinished(Child child, ChildProtocol.Result result) implements WorkerEvent {}

    /** A child's process ended (recycled, crashed or killed). */
    record ChildExited(Child child, int exitCode) implements WorkerEvent {}

    /** A child could not be started. */
    record ChildFailedToStart(String reason) implements WorkerEvent {}

    /** The SIGTERM grace period is over: stop what still runs and give it back. */
    record GraceOver() implements WorkerEvent {}

    /** The fetcher's round trip came back. */
    record TripDone(Trip.Outcome outcome) implements WorkerEvent {}

    /** A client revoked a task (cancel or terminate); if it runs here, renew now so its loss is learned at once. */
    record Revoked(String queue, String taskId) implements WorkerEvent {}

    /** A client asked for {@code signal} to be sent to the Process {@code taskId} (terminate 15, kill 9). */
    record Signal(String taskId, int signal) implements WorkerEvent {}

    /**
     * The claim parked behind the waker's wait ran ({@link Waking#park}): its {@code outcome}, failed
     * if the claim may or may not have run, or null if it did not count (fenced out by a newer trip, or
     * its script unknown to Redis): then it is a plain wake-up. {@code sentNanos}: when it was sent (its leases
     * count from then).
     */
    record ClaimedOnWake(Trip trip, Trip.Outcome outcome, long sentNanos) implements WorkerEvent {}

    /** Work may be waiting in Redis (a wake token, or the waker's periodic check). */
    record Wake() implements WorkerEvent {}
}
