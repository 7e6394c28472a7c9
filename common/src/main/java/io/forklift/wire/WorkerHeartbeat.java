package io.forklift.wire;

import java.util.List;

/**
 * What a worker daemon publishes about itself every heartbeat (as JSON in {@code worker:<id>},
 * which expires after three missed beats): where it runs, what it serves, its children and its
 * counters. {@code forklift status}, the coordinator's metrics, the bench and the tests read it.
 *
 * @param children       pids of its live children
 * @param busy           children running a task now
 * @param metricsPort    port of its {@code /metrics}; -1 when it serves none
 * @param childStartMs   how long its newest child took to start, ms
 * @param startedAt      when the daemon started, epoch ms
 * @param beatAt         when this beat was sent, epoch ms
 * @param childStates    each live child: its pid, the task it runs (null when idle) and when it
 *                       started; empty from a worker that does not send them
 * @param processChildren pids of its Processes' JVMs: running a Process, or the spare waiting for one
 * @param childrenReadyMs how long its first children took to be all ready after it started them, ms;
 *                       0 until they were (or from a worker that does not send it)
 */
public record WorkerHeartbeat(
        String id,
        String host,
        long pid,
        List<String> queues,
        int processes,
        List<Long> children,
        int busy,
        int metricsPort,
        long childStartMs,
        long tasksStarted,
        long tasksSucceeded,
        long tasksFailed,
        long staleCompletions,
        long leasesLost,
        long startedAt,
        long beatAt,
        List<ChildState> childStates,
        List<Long> processChildren,
        long childrenReadyMs) {
    public WorkerHeartbeat {
        queues = queues == null ? List.of() : List.copyOf(queues);
        children = children == null ? List.of() : List.copyOf(children);
        childStates = childStates == null ? List.of() : List.copyOf(childStates);
        processChildren = processChildren == null ? List.of() : List.copyOf(processChildren);
    }

    /**
     * One child of a worker: its pid, the id of the task it runs (null when idle), and when it started
     * (epoch ms, 0 if unknown).
     */
    public record ChildState(long pid, String task, long startedAt) {}
}
