package io.forklift.worker;

import io.forklift.worker.child.ChildMain;
import io.forklift.worker.child.ChildProtocol;
import io.forklift.worker.child.Frames;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Starts child JVMs: the worker's own java and class path plus the task jars, running
 * {@link ChildMain}, each in a session of its own and tagged for {@link ProcessTree}, and waits for
 * the child's hello frame.
 */
final class ChildLauncher implements Child.Starter {
    private static final java.util.Set<String> SECRETS = java.util.Set.of(
            "FORKLIFT_REDIS", "FORKLIFT_AUTHKEY", "FORKLIFT_AUTHKEY_PREVIOUS", "FORKLIFT_REDIS_PASSWORD");

    private final List<String> command;
    private final byte[] setup;
    private final ChildWatch.Factory watches;

    ChildLauncher(
            List<Path> taskJars,
            List<String> jvmOptions,
            List<String> execAllow,
            int maxResultBytes,
            String workerId,
            String host,
            String redisUri,
            String prefix) {
        this(taskJars, jvmOptions, execAllow, maxResultBytes, workerId, host, redisUri, prefix, pid -> ChildWatch.NONE);
    }

    /** As above, each child watched by a watch from {@code watches} (the Processes' children). */
    ChildLauncher(
            List<Path> taskJars,
            List<String> jvmOptions,
            List<String> execAllow,
            int maxResultBytes,
            String workerId,
            String host,
            String redisUri,
            String prefix,
            ChildWatch.Factory watches) {
        this.watches = watches;
        this.setup = ChildProtocol.setup(redisUri, prefix);
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        StringBuilder classPath = new StringBuilder(System.getProperty("java.class.path"));
        for (Path jar : taskJars) classPath.append(File.pathSeparatorChar).append(jar.toAbsolutePath());
        List<String> cmd = new ArrayList<>();
        setsid().ifPresent(cmd::add); // a session of its own, so ProcessTree kills all it started
        cmd.add(java);
        cmd.addAll(jvmOptions);
        cmd.add("-D" + io.forklift.Exec.ALLOW_PROPERTY + "=" + String.join("\n", execAllow));
        cmd.add("-D" + ChildMain.MAX_RESULT_PROPERTY + "=" + maxResultBytes);
        cmd.add("-cp");
        cmd.add(classPath.toString());
        cmd.add(ChildMain.class.getName());
        cmd.add(workerId);
        cmd.add(host);
        this.command = List.copyOf(cmd);
    }

    /** util-linux's setsid, which execs the child in a new session (same pid); empty where there is none. */
    private static Optional<String> setsid() {
        return Stream.of("/usr/bin/setsid", "/bin/setsid")
                .filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst();
    }

    List<String> command() {
        return command;
    }

    /** Starts a child and blocks until it says hello; the process is killed if it does not. */
    @Override
    public ChildProcess start(String reason) throws IOException {
        long t0 = System.nanoTime();
        String tag = UUID.randomUUID().toString();
        ProcessBuilder builder = new ProcessBuilder(command);
        // The cluster's secrets stay with the daemon: no child, nor any command it runs, inherits them.
        // A child that needs Redis for shared objects gets the URI in its set-up frame instead.
        builder.environment().keySet().removeAll(SECRETS);
        builder.environment().put(ProcessTree.TAG_VARIABLE, tag);
        Process process = builder.start();
        try {
            DataInputStream stdout = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
            DataOutputStream stdin = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
            byte[] hello = Frames.read(stdout);
            if (hello == null) {
                int status = process.waitFor();
                String stderr = new String(
                                process.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                        .strip();
                throw new IOException("child exited with " + status + " before saying hello; its stderr ends: "
                        + stderr.substring(Math.max(0, stderr.length() - 2000)));
            }
            if (!(ChildProtocol.readChild(hello) instanceof ChildProtocol.Hello greeting)
                    || greeting.pid() != process.pid()) {
                throw new IOException("child " + process.pid() + " sent an unexpected first frame");
            }
            Frames.write(stdin, setup);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            return new ChildProcess(process, stdout, stdin, millis, reason, tag, watches.watch(process.pid()));
        } catch (IOException | RuntimeException e) {
            ProcessTree.kill(process, tag);
            throw e;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting a child", e);
        }
    }
}
