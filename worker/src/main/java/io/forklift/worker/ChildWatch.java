package io.forklift.worker;

import io.forklift.worker.child.ChildProtocol;

/**
 * What a {@link ChildProcess} reports about its task beyond the dispatcher's events: a Process's
 * registry and printed lines ({@link ProcessWatch}). Called from the child's threads: the dispatcher
 * thread ({@link #taskStarted}), its result reader ({@link #result}, {@link #exited}) and its stderr
 * pump ({@link #line}, {@link #flush}, {@link #outputEnded}); each must return quickly or block only
 * its own thread. Pool children have {@link #NONE}.
 */
interface ChildWatch {
    ChildWatch NONE = new ChildWatch() {};

    /** The dispatcher hands the child task {@code taskId}, whose message is {@code messageJson}. */
    default void taskStarted(String taskId, String messageJson) {}

    /** The child sent its task's result. */
    default void result(ChildProtocol.Result result) {}

    /** The child's process ended with {@code exitCode} (−N for signal N). */
    default void exited(int exitCode) {}

    /** A line the child wrote to its stderr (where its task's prints go), cut at the line limit. */
    default void line(String line) {}

    /** The pump read what was there: send what {@link #line} gathered. */
    default void flush() {}

    /** The child's stderr closed: nothing more will be printed. */
    default void outputEnded() {}

    /** Makes the watch of each child a launcher starts. */
    @FunctionalInterface
    interface Factory {
        ChildWatch watch(long pid);
    }
}
