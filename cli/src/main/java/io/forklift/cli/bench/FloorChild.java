package io.forklift.cli.bench;

import io.forklift.worker.child.Frames;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;

/**
 * The child of {@link RoundTripFloor}: sends each frame it reads on stdin back on stdout, framed as a
 * Forklift child's, until stdin closes. No task, no JSON: the pipe hops alone.
 */
public final class FloorChild {
    private FloorChild() {}

    /** Starts one, with a Forklift child's default JVM options (the worker's --child-jvm-options); its stderr is this JVM's. */
    static Process start() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-Xms8m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-Xshare:auto",
                        "-cp",
                        System.getProperty("java.class.path"),
                        FloorChild.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    public static void main(String[] args) throws IOException {
        DataInputStream in =
                new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16));
        DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        byte[] frame;
        while ((frame = Frames.read(in)) != null) Frames.write(out, frame);
    }
}
