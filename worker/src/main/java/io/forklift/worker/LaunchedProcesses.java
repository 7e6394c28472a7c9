package io.forklift.worker;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The child JVMs a launcher started that have not been reaped yet, starting ones included: a child
 * whose hello the launcher still waits for is in no pool, and a killed one is not reaped until its
 * exit is collected. {@link #killAll} is the worker's last step, so nothing it started outlives it,
 * not even as a zombie left for init.
 */
final class LaunchedProcesses {
    private final Map<Process, String> tags = new ConcurrentHashMap<>();

    /** Remembers {@code process} (tagged {@code tag} for {@link ProcessTree}) until its exit is collected. */
    void add(Process process, String tag) {
        tags.put(process, tag);
        process.onExit().thenRun(() -> tags.remove(process));
    }

    /** Kills every one left, with its process tree, and waits up to {@code timeout} for each to be reaped. */
    void killAll(Duration timeout) throws InterruptedException {
        tags.forEach(ProcessTree::kill);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Process p : tags.keySet()) {
            try {
                p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                return; // not reaped in time: the daemon's log says it stopped all the same
            }
        }
    }
}
