package io.forklift.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.redis.Processes;
import io.forklift.wire.Json;
import io.forklift.wire.ProcessSpec;
import io.forklift.wire.TaskMessage;
import io.forklift.worker.child.ChildProtocol;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches one child of the process side: when it takes its Process, tells the registry where it
 * runs; when it ends, records the exit code (0 returned, 1 threw, −N signal N); and sends what it
 * prints, line by line and in order, to its starter's output stream, prefixed as Ray does
 * ({@code (bob pid=1234 host=w1) hello}). Bounded: lines are cut by the pump's LineCutter, a batch
 * is sent once it holds {@link #BATCH_BYTES}, and past {@link #MAX_LINES} lines the rest is counted
 * and reported as dropped.
 */
final class ProcessWatch implements ChildWatch {
    /** The most lines one Process sends its starter; the rest are counted, and still logged. */
    static final long MAX_LINES = 200_000;

    static final int BATCH_BYTES = 256 * 1024;
    private final ProcessSide side;
    private final long pid;
    private volatile String id;
    private volatile String client;
    private volatile String prefix;
    private final List<Processes.Line> batch = new ArrayList<>(); // the pump thread's only
    private int batchBytes;
    private long sent;
    private long dropped;

    ProcessWatch(ProcessSide side, long pid) {
        this.side = side;
        this.pid = pid;
    }

    @Override
    public void taskStarted(String taskId, String messageJson) {
        ProcessSpec spec = null;
        try {
            TaskMessage m = TaskMessage.readWithoutArgs(messageJson);
            spec = m.process();
            client = m.client();
        } catch (IOException | IllegalArgumentException e) {
            client = TaskMessage.clientOf(taskId); // the child fails it, saying why; the end is still recorded
        }
        String name = spec == null ? taskId : spec.name();
        prefix = "(" + name + " pid=" + pid + " host=" + side.host() + ") ";
        id = taskId;
        side.started(taskId, pid, spec != null && spec.daemon(), client);
    }

    @Override
    public void result(ChildProtocol.Result result) {
        String taskId = id;
        if (taskId == null) return;
        side.ended(taskId, result.ok() ? 0 : 1, result.ok() ? "" : errorText(result.replyJson()));
    }

    @Override
    public void exited(int exitCode) {
        String taskId = id;
        if (taskId == null) return; // a spare that never ran anything
        String why = exitCode < 0 ? "ended by signal " + -exitCode : "its JVM exited with " + exitCode;
        side.ended(taskId, exitCode, why);
    }

    @Override
    public void line(String line) {
        String taskId = id;
        if (taskId == null) return; // the JVM's own start-up noise: logged only
        if (sent >= MAX_LINES) {
            dropped++;
            return;
        }
        String stdout = "[task " + taskId + "] "; // how the child's TaskOutput marks System.out
        boolean out = line.startsWith(stdout);
        String text = prefix + (out ? line.substring(stdout.length()) : line);
        add(new Processes.Line(taskId, out ? "o" : "e", text));
        sent++;
    }

    @Override
    public void flush() {
        if (batch.isEmpty()) return;
        try {
            side.print(client, batch);
        } finally {
            batch.clear();
            batchBytes = 0;
        }
    }

    @Override
    public void outputEnded() {
        String taskId = id;
        if (taskId == null) return;
        if (dropped > 0) {
            add(new Processes.Line(
                    taskId, "e", prefix + "… " + dropped + " lines dropped (over " + MAX_LINES + " in one process)"));
        }
        add(new Processes.Line(taskId, "end", ""));
        flush();
    }

    private void add(Processes.Line line) {
        batch.add(line);
        batchBytes += line.text().length() + 40;
        if (batchBytes >= BATCH_BYTES) flush();
    }

    private static String errorText(String replyJson) {
        try {
            JsonNode error = Json.MAPPER.readTree(replyJson).path("error");
            return error.path("type").asText("?") + ": " + error.path("message").asText("");
        } catch (IOException e) {
            return "it failed (its reply could not be read: " + e.getMessage() + ")";
        }
    }
}
