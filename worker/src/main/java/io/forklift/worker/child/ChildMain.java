package io.forklift.worker.child;

import io.forklift.ResultTooLargeException;
import io.forklift.wire.Json;
import io.forklift.wire.RemoteError;
import io.forklift.wire.Reply;
import io.forklift.wire.TaskMessage;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Entry point of a child process. Speaks {@link ChildProtocol} on its real stdin/stdout: reads its
 * set-up, loads the task classes, says hello with its pid, then runs one task per request until stdin
 * closes, then exits 0 (or, after a task's StackOverflowError or OutOfMemoryError,
 * {@value #RETIRED_AFTER_VM_ERROR}). {@code System.out} and {@code System.in} are replaced before any
 * task code runs, so a task cannot corrupt the frames.
 */
public final class ChildMain {
    /** The exit code of a child that retires after a task's StackOverflowError or OutOfMemoryError. */
    public static final int RETIRED_AFTER_VM_ERROR = 4;

    /** The system property through which the worker sets the largest reply a child sends back ({@code --max-result}). */
    public static final String MAX_RESULT_PROPERTY = "forklift.maxResult";

    private static final int MAX_RESULT = Integer.getInteger(MAX_RESULT_PROPERTY, 8 * 1024 * 1024);

    private ChildMain() {}

    public static void main(String[] args) throws IOException {
        DataInputStream in =
                new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16));
        DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        // UTF-8 whatever the locale: the worker reads the child's stderr as UTF-8.
        PrintStream stderr = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.setErr(stderr);
        TaskOutput taskOutput = new TaskOutput(stderr);
        System.setOut(new PrintStream(taskOutput, true, StandardCharsets.UTF_8));
        System.setIn(new ByteArrayInputStream(new byte[0]));

        if (args.length != 2) throw new IllegalArgumentException("usage: ChildMain <worker id> <host>");
        byte[] setupFrame = Frames.read(in);
        if (setupFrame == null) System.exit(0);
        ChildProtocol.Setup setup = ChildProtocol.readSetup(setupFrame);
        ChildObjects.install(setup);
        TaskRunner runner = new TaskRunner(args[0], args[1], setup.tasks());
        runner.preload();
        // The hello comes once the task classes are loaded: the worker counts the child started, and hands it
        // tasks, when it can run them, not while it still loads Jackson and the catalog.
        Frames.write(out, ChildProtocol.hello(ProcessHandle.current().pid()));
        byte[] frame;
        while ((frame = Frames.read(in)) != null) {
            ChildProtocol.TaskFrame task = ChildProtocol.readTask(frame);
            long startNanos = System.nanoTime();
            TaskMessage msg = Json.MAPPER.readValue(task.message(), TaskMessage.class);
            taskOutput.task(msg.id());
            Reply reply = runner.run(msg, task.attempt());
            ChildObjects.taskEnded();
            System.out.flush();
            taskOutput.task("-");
            byte[] bytes = Json.MAPPER.writeValueAsBytes(reply);
            if (bytes.length > MAX_RESULT) {
                reply = runner.failure(
                        msg,
                        task.attempt(),
                        RemoteError.of(
                                ResultTooLargeException.class,
                                "task "
                                        + msg.id() + " returned " + bytes.length
                                        + " bytes, over the worker's --max-result of "
                                        + MAX_RESULT
                                        + "; return a reference to large data (a URL, a key, a path) instead"));
                bytes = Json.MAPPER.writeValueAsBytes(reply);
            }
            Frames.write(out, ChildProtocol.result(msg.id(), reply.ok(), System.nanoTime() - startNanos, bytes));
            if (runner.damagedBy() != null) {
                stderr.println("task " + msg.id() + " ended with " + runner.damagedBy()
                        + "; this child exits so a fresh one runs the next task");
                System.exit(RETIRED_AFTER_VM_ERROR);
            }
        }
        System.exit(0);
    }
}
