package io.forklift.worker.child;

import io.forklift.wire.Json;

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

/**
 * Entry point of a child process. Speaks {@link Frames} on its real stdin/stdout: says hello with
 * its pid, then runs one task per request until stdin closes, then exits 0. {@code System.out} and
 * {@code System.in} are replaced before any task code runs, so a task cannot corrupt the frames.
 */
public final class ChildMain {
    private ChildMain() {
    }

    public static void main(String[] args) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        TaskOutput taskOutput = new TaskOutput(System.err);
        System.setOut(new PrintStream(taskOutput, true));
        System.setIn(new ByteArrayInputStream(new byte[0]));

        TaskRunner runner = new TaskRunner();
        long pid = ProcessHandle.current().pid();
        Frames.write(out, Json.MAPPER.writeValueAsBytes(new RunResult(null, true, Json.MAPPER.getNodeFactory().numberNode(pid), null)));
        byte[] frame;
        while ((frame = Frames.read(in)) != null) {
            RunRequest req = Json.MAPPER.readValue(frame, RunRequest.class);
            taskOutput.task(req.id());
            RunResult result = runner.run(req);
            System.out.flush();
            taskOutput.task("-");
            Frames.write(out, Json.MAPPER.writeValueAsBytes(result));
        }
        System.exit(0);
    }
}
