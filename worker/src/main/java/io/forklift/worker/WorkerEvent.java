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

    /** Work may be waiting in Redis (a wake token, or the waker's periodic check). */
    record Wake() implements WorkerEvent {}
}
