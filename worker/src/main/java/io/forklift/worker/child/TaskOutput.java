package io.forklift.worker.child;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What a task sees as {@code System.out}: each line goes to the child's stderr, which the worker
 * logs, prefixed with the running task's id. Keeps the real stdout for frames only.
 */
final class TaskOutput extends OutputStream {
    private final PrintStream stderr;
    private final StringBuilder line = new StringBuilder();
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
            line.append((char) (b & 0xff));
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                line.append(new String(b, start, i - start, StandardCharsets.UTF_8));
                flushLine();
                start = i + 1;
            }
        }
        line.append(new String(b, start, off + len - start, StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void flush() {
        stderr.flush();
    }

    private synchronized void flushLine() {
        if (line.length() == 0) return;
        stderr.println("[task " + taskId + "] " + line);
        line.setLength(0);
    }
}
