package io.forklift.daemon;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Processes started by a process of ours rather than by us: we can kill them but not reap them, so
 * after a SIGKILL we wait until their parent (or, once it is gone, init) has collected them. Ending
 * without that wait leaves them behind as zombies that still count as alive.
 */
public final class Orphans {
    private Orphans() {}

    /**
     * SIGKILLs each of {@code processes} that is still alive and waits up to {@code timeout} in all for
     * them to be gone; returns those that are not.
     */
    public static List<ProcessHandle> kill(List<ProcessHandle> processes, Duration timeout)
            throws InterruptedException {
        List<ProcessHandle> alive =
                processes.stream().filter(ProcessHandle::isAlive).toList();
        alive.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle p : alive) {
            try {
                p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException notYet) {
                break; // the deadline has passed for all of them
            }
        }
        return alive.stream().filter(ProcessHandle::isAlive).toList();
    }
}
