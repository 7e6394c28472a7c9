package io.forklift.worker;

import io.forklift.worker.child.ChildProtocol;
import io.forklift.worker.child.Frames;
import io.forklift.worker.child.LineCutter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One child JVM as the worker sees it. Two threads per child: a reader that turns its result
 * frames into {@link WorkerEvent}s, and a pump that logs its stderr (where a task's prints go),
 * line by line with each line cut at a fixed length.
 * Everything else is used from the dispatcher thread only.
 */
final class ChildProcess implements Child {
    private static final Logger log = LoggerFactory.getLogger("io.forklift.child");
    /**
     * Room for a line the child's TaskOutput cut (its limit, the task prefix and the marker); a longer
     * one was written around TaskOutput (System.err, a process the task started) and is cut here.
     */
    static final int STDERR_LINE_LIMIT = 2 * LineCutter.DEFAULT_LIMIT;
    /** How long a terminated child's process tree has to exit on SIGTERM before it is killed. */
    static final Duration TERMINATE_GRACE = Duration.ofSeconds(5);
    /** How long a child whose result stream broke has to exit by itself before it is killed. */
    static final Duration BROKEN_STREAM_GRACE = Duration.ofSeconds(1);

    private final Process process;
    private final DataInputStream stdout;
    private final DataOutputStream stdin;
    private final long startMillis;
    private final String reason;
    private final String tag;
    private final ChildWatch watch;
    private int tasksRun;
    private volatile String runningTaskId; // the heartbeat reads it
    private final ArrayDeque<String> waiting = new ArrayDeque<>();
    private volatile boolean killed;

    ChildProcess(
            Process process,
            DataInputStream stdout,
            DataOutputStream stdin,
            long startMillis,
            String reason,
            String tag,
            ChildWatch watch) {
        this.process = process;
        this.tag = tag;
        this.watch = watch;
        this.stdout = stdout;
        this.stdin = stdin;
        this.startMillis = startMillis;
        this.reason = reason;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    /** How long it took from starting the JVM to its hello. */
    @Override
    public long startMillis() {
        return startMillis;
    }

    /** Why it was started: {@code initial}, {@code recycled} or {@code replaced}. */
    @Override
    public String reason() {
        return reason;
    }

    @Override
    public int tasksRun() {
        return tasksRun;
    }

    /** The task it is running, or null when idle. */
    @Override
    public String runningTaskId() {
        return runningTaskId;
    }

    /** Starts the reader and stderr threads, which post to {@code events} until the process ends. */
    @Override
    public void listen(BlockingQueue<WorkerEvent> events) {
        Thread reader = new Thread(() -> readResults(events), "child-" + pid() + "-reader");
        reader.setDaemon(true);
        reader.start();
        Thread pump = new Thread(this::pumpStderr, "child-" + pid() + "-stderr");
        pump.setDaemon(true);
        pump.start();
    }

    /** Hands the child a task: the message exactly as stored in Redis; it waits behind a running one, and is sent by {@link #send()}. */
    @Override
    public void run(String taskId, int attempt, String messageJson) throws IOException {
        if (runningTaskId == null) runningTaskId = taskId;
        else if (waiting.size() < Handoffs.FOLLOWERS) waiting.add(taskId);
        else throw new IllegalStateException("child " + pid() + " has " + waiting.size() + " tasks waiting already");
        tasksRun++;
        watch.taskStarted(taskId, messageJson);
        Frames.put(stdin, ChildProtocol.task(attempt, messageJson));
    }

    @Override
    public void send() throws IOException {
        stdin.flush();
    }

    @Override
    public List<String> waitingTaskIds() {
        return List.copyOf(waiting);
    }

    @Override
    public void finished() {
        runningTaskId = waiting.pollFirst();
    }

    /** Asks the child to exit after its current task by closing its stdin. */
    @Override
    public void retire() {
        try {
            stdin.close();
        } catch (IOException alreadyGone) {
            // the exit event follows either way
        }
    }

    /** Whether the process ended within {@code timeout}. */
    @Override
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /**
     * 9 kills the tree at once; another signal (15) goes to the whole tree, and what is left of it
     * once the child has exited, or after {@link #TERMINATE_GRACE}, is killed.
     */
    @Override
    public void signal(int signal) {
        if (signal == 9) {
            kill();
            return;
        }
        killed = true;
        ProcessTree.terminate(process, tag);
        Thread reaper = new Thread(
                () -> {
                    try {
                        awaitExit(TERMINATE_GRACE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    ProcessTree.kill(process, tag); // a grandchild that ignored SIGTERM, or the child itself
                },
                "child-" + pid() + "-terminate");
        reaper.setDaemon(true);
        reaper.start();
    }

    /** Whether the worker killed it (time limit, lost lease, grace over) rather than it ending by itself. */
    @Override
    public boolean killed() {
        return killed;
    }

    /** SIGKILLs the child and every process it started, double-forked and setsid'd ones too ({@link ProcessTree}). */
    @Override
    public void kill() {
        killed = true;
        ProcessTree.kill(process, tag);
    }

    private void readResults(java.util.concurrent.BlockingQueue<WorkerEvent> events) {
        try {
            byte[] frame;
            while ((frame = Frames.read(stdout)) != null) {
                if (ChildProtocol.readChild(frame) instanceof ChildProtocol.Result result) {
                    watch.result(result);
                    events.add(new WorkerEvent.TaskFinished(this, result));
                } else {
                    throw new IOException("child sent a second hello");
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // A child on its way out may leave bytes that are no frame (ExitOnOutOfMemoryError prints
            // "Terminating due to …" on stdout): let it exit by itself first, so its own exit code is reported.
            if (exitsWithin(BROKEN_STREAM_GRACE)) {
                log.warn("child {}: result stream broke ({}) as it exited", pid(), e.getMessage());
            } else {
                log.warn("child {}: result stream broke ({}); stopping it", pid(), e.getMessage());
                kill();
            }
        }
        int exitCode = exitCode(waitFor());
        watch.exited(exitCode);
        events.add(new WorkerEvent.ChildExited(this, exitCode));
    }

    private boolean exitsWithin(Duration grace) {
        try {
            return awaitExit(grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private int waitFor() {
        while (true) {
            try {
                return process.waitFor();
            } catch (InterruptedException e) {
                // daemon reader thread: the process end is what we wait for; keep the flag for callers
                Thread.currentThread().interrupt();
                return -1;
            }
        }
    }

    /** As Python's {@code exitcode}: {@code -N} for a process ended by signal N. */
    static int exitCode(int status) {
        return status > 128 && status <= 128 + 64 ? -(status - 128) : status;
    }

    /** Logs the child's stderr line by line, each line cut at {@link #STDERR_LINE_LIMIT}: the pump's memory is fixed. */
    private void pumpStderr() {
        LineCutter lines = new LineCutter(STDERR_LINE_LIMIT, line -> {
            log.info("child {}: {}", pid(), line);
            watch.line(line);
        });
        byte[] chunk = new byte[8192];
        try (InputStream err = process.getErrorStream()) {
            int n;
            while ((n = err.read(chunk)) > 0) {
                lines.write(chunk, 0, n);
                if (err.available() == 0) watch.flush(); // one batch per burst, not per line
            }
        } catch (IOException ended) {
            // the process is gone
        }
        lines.end();
        watch.outputEnded();
    }
}
