package io.forklift.worker;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;

/**
 * One child process as the pool and the dispatcher drive it: {@link ChildProcess} in the daemon, a
 * fake in the dispatcher's unit tests. Used from the dispatcher thread, except as noted.
 */
interface Child {
    long pid();

    /** How long it took from starting the process to its hello. */
    long startMillis();

    /** Why it was started: {@code initial}, {@code recycled} or {@code replaced}. */
    String reason();

    /** Starts posting its results and its exit to {@code events}, from threads of its own. */
    void listen(BlockingQueue<WorkerEvent> events);

    /**
     * Hands it a task: the message exactly as stored in Redis. Handed while it runs one, the task
     * waits behind it, in the child's stdin, and starts as the tasks ahead of it end (at most
     * {@link Handoffs#FOLLOWERS} wait). The child sees it once {@link #send()} is called.
     */
    void run(String taskId, int attempt, String messageJson) throws IOException;

    /** Sends the tasks handed since the last send, in one write: one wake-up of the child for several. */
    void send() throws IOException;

    /** The task it runs, or null when idle; the heartbeat reads it from its own thread. */
    String runningTaskId();

    /** The tasks waiting behind the running one, in the order they will run; empty for none. */
    List<String> waitingTaskIds();

    /** Its running task ended: the first waiting one runs now, if any, else it is idle. */
    void finished();

    int tasksRun();

    /** Asks it to exit after its current task. */
    void retire();

    /** Kills it with its whole process tree; its exit event follows. */
    void kill();

    /**
     * Sends {@code signal} to its whole process tree: 9 kills it as {@link #kill()}; 15 terminates it,
     * killing what is left after a grace period. Either way its exit event follows.
     */
    default void signal(int signal) {
        kill();
    }

    /** Whether the worker killed it, rather than it ending by itself. */
    boolean killed();

    /** Whether it ended within {@code timeout}; may be called from any thread. */
    boolean awaitExit(Duration timeout) throws InterruptedException;

    /** Starts children: the real launcher starts JVMs, a test's starts fakes. */
    @FunctionalInterface
    interface Starter {
        /** Starts one and blocks until it is ready to take a task. */
        Child start(String reason) throws IOException;
    }
}
