package io.forklift.worker.child;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * What a task sees as {@code System.out}: each line goes to the child's stderr, which the worker
 * logs, prefixed with the running task's id. Keeps the real stdout for frames only. A line longer
 * than {@link LineCutter#DEFAULT_LIMIT} is cut, never buffered whole.
 */
final class TaskOutput extends OutputStream {
    private final PrintStream stderr;
    // bytes, decoded only per whole line: a UTF-8 character may arrive split across writes
    private final LineCutter lines;
    private volatile String taskId = "-";

    TaskOutput(PrintStream stderr) {
        this.stderr = stderr;
        this.lines = new LineCutter(LineCutter.DEFAULT_LIMIT, line -> stderr.println("[task " + taskId + "] " + line));
    }

    void task(String id) {
        flushLine();
        this.taskId = id;
    }

    @Override
    public synchronized void write(int b) {
        lines.write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        lines.write(b, off, len);
    }

    @Override
    public synchronized void flush() {
        stderr.flush();
    }

    private synchronized void flushLine() {
        lines.end();
    }
}
