package io.forklift;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Python's {@code multiprocessing.current_process()}: who is running this code. Inside a task or a
 * Process, {@link TaskContext#process()} (or {@link #current()}) describes the child that runs it;
 * in a plain program, the program itself ({@code MainProcess}, as Python names it).
 *
 * @param name      the Process's name; {@code MainProcess} for a program, {@code PoolWorker} for a pool task
 * @param pid       this OS process's pid
 * @param parentPid the pid of the program (or child) that started the Process, or of the worker
 *                  daemon that runs a pool task; this JVM's parent for a program
 * @param host      the host it runs on
 * @param workerId  the worker daemon that runs it; null in a program
 * @param daemon    whether it is a daemonic Process (it may not start Processes of its own)
 * @param isProcess true for a Process, false for a pool task or a program
 */
public record ProcessInfo(
        String name, long pid, long parentPid, String host, String workerId, boolean daemon, boolean isProcess) {
    private static volatile ProcessInfo current;

    /** This code's process: the Process or task a worker's child runs, or the program itself. */
    public static ProcessInfo current() {
        ProcessInfo c = current;
        return c != null ? c : main();
    }

    /** Set by the worker's child before a task or Process runs; not for programs. */
    public static void enter(ProcessInfo running) {
        current = running;
    }

    private static ProcessInfo main() {
        ProcessHandle self = ProcessHandle.current();
        return new ProcessInfo(
                "MainProcess",
                self.pid(),
                self.parent().map(ProcessHandle::pid).orElse(0L),
                localHost(),
                null,
                false,
                false);
    }

    /** This machine's host name, as workers report theirs. */
    public static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
