package io.forklift.worker.child;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What a task sees as {@code System.out}: each line goes to the child's stderr, which the worker
 * logs, prefixed with the running task's id. Keeps the real stdout for frames only.
 */
final class TaskOutput extends OutputStream {
    private final PrintStream stderr;
    // bytes, decoded only per whole line: a UTF-8 character may arrive split across writes
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private volatile String taskId = "-";

    TaskOutput(PrintStream stderr) {
        this.stderr = stderr;
    }

    void task(String id) {
        flushLine();
        this.taskId = id;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            flushLine();
        } else {
            line.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                line.write(b, start, i - start);
                flushLine();
                start = i + 1;
            }
        }
        line.write(b, start, off + len - start);
    }

    @Override
    public synchronized void flush() {
        stderr.flush();
    }

    private synchronized void flushLine() {
        if (line.size() == 0) return;
        stderr.println("[task " + taskId + "] " + line.toString(StandardCharsets.UTF_8));
        line.reset();
    }
}
