package io.forklift.worker;

import io.forklift.daemon.ClassArchives;
import io.forklift.wire.Json;
import io.forklift.worker.child.ChildMain;
import io.forklift.worker.child.ChildProtocol;
import io.forklift.worker.child.Frames;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Starts child JVMs: the worker's own java and class path plus the task jars, running
 * {@link ChildMain}, each in a session of its own and tagged for {@link ProcessTree}, and waits for
 * the child's hello frame, which it sends once it has loaded the task classes.
 */
final class ChildLauncher implements Child.Starter {
    static final Set<String> SECRETS =
            Set.of("FORKLIFT_REDIS", "FORKLIFT_AUTHKEY", "FORKLIFT_AUTHKEY_PREVIOUS", "FORKLIFT_REDIS_PASSWORD");

    /**
     * How long a child has to say hello before it is killed: a JVM stuck before its main (an agent
     * waiting for a debugger) would otherwise hold one of the pool's start slots for good.
     */
    static final Duration HELLO_TIMEOUT = Duration.ofSeconds(60);

    private final List<String> command;
    private final int javaAt;
    private final ChildArchive archive;
    private final byte[] setup;
    private final ChildWatch.Factory watches;
    private final LaunchedProcesses launched = new LaunchedProcesses();
    private Duration helloTimeout = HELLO_TIMEOUT;

    ChildLauncher(
            TaskCatalog catalog,
            List<String> jvmOptions,
            List<String> execAllow,
            int maxResultBytes,
            String workerId,
            String host,
            String redisUri,
            String prefix) {
        this(catalog, jvmOptions, execAllow, maxResultBytes, workerId, host, redisUri, prefix, pid -> ChildWatch.NONE);
    }

    /** As above, each child watched by a watch from {@code watches} (the Processes' children). */
    ChildLauncher(
            TaskCatalog catalog,
            List<String> jvmOptions,
            List<String> execAllow,
            int maxResultBytes,
            String workerId,
            String host,
            String redisUri,
            String prefix,
            ChildWatch.Factory watches) {
        this.watches = watches;
        this.setup = ChildProtocol.setup(redisUri, prefix, catalog.names());
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        StringBuilder classPath = new StringBuilder(System.getProperty("java.class.path"));
        for (Path jar : catalog.jars()) classPath.append(File.pathSeparatorChar).append(jar.toAbsolutePath());
        List<String> cmd = new ArrayList<>();
        setsid().ifPresent(cmd::add); // a session of its own, so ProcessTree kills all it started
        this.javaAt = cmd.size();
        cmd.add(java);
        // The JVM's own warnings (an out-of-date class archive, a bad flag) go to stdout by default,
        // where they would corrupt the frames: send them to stderr, which the worker logs.
        cmd.add("-Xlog:disable");
        cmd.add("-Xlog:all=warning:stderr");
        cmd.addAll(jvmOptions);
        cmd.add("-D" + io.forklift.Exec.ALLOW_PROPERTY + "=" + String.join("\n", execAllow));
        cmd.add("-D" + ChildMain.MAX_RESULT_PROPERTY + "=" + maxResultBytes);
        // The child's class path is this JVM's and the task jars: its Jackson modules are this JVM's and theirs.
        Set<String> modules = new LinkedHashSet<>(Json.moduleClasses());
        modules.addAll(catalog.jacksonModules());
        cmd.add("-D" + Json.MODULES_PROPERTY + "=" + String.join(",", modules));
        cmd.add("-cp");
        cmd.add(classPath.toString());
        cmd.add(ChildMain.class.getName());
        cmd.add(workerId);
        cmd.add(host);
        this.command = List.copyOf(cmd);
        // The archive holds the worker's own class path only: a JVM uses an archive whose class path
        // starts its own, so one archive serves any task jars (forklift local copies them to a new
        // folder on every run).
        cmd.set(cmd.indexOf("-cp") + 1, System.getProperty("java.class.path"));
        this.archive = ChildArchive.of(
                ClassArchives.defaultDir(),
                cmd,
                javaAt,
                catalog.names(),
                Runtime.version().feature());
    }

    /** util-linux's setsid, which execs the child in a new session (same pid); empty where there is none. */
    private static Optional<String> setsid() {
        return Stream.of("/usr/bin/setsid", "/bin/setsid")
                .filter(p -> Files.isExecutable(Path.of(p)))
                .findFirst();
    }

    /** For tests: a shorter wait for the hello. */
    ChildLauncher helloTimeout(Duration timeout) {
        this.helloTimeout = timeout;
        return this;
    }

    private IOException noHello(Process process) {
        return new IOException("child " + process.pid() + " did not say hello within " + helloTimeout.toMillis()
                + " ms and was killed; look for a JVM option that stops it before its main (-agentlib with"
                + " suspend=y, a debugger) in --child-jvm-options or JAVA_TOOL_OPTIONS");
    }

    /**
     * Kills every child this launcher started that is not reaped yet (one still starting too) and waits
     * up to {@code timeout} for each to be reaped: the worker's last step, so none outlives it.
     */
    void killLaunched(Duration timeout) throws InterruptedException {
        launched.killAll(timeout);
    }

    /** The command that starts a child, without the class archive's option. */
    List<String> command() {
        return command;
    }

    /** Where java is in {@link #command()} (after setsid). */
    int javaAt() {
        return javaAt;
    }

    /** Starts a child and blocks until it says hello; the process is killed if it does not. */
    @Override
    public ChildProcess start(String reason) throws IOException {
        long t0 = System.nanoTime();
        String tag = UUID.randomUUID().toString();
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(javaAt + 1, archive.options());
        ProcessBuilder builder = new ProcessBuilder(cmd);
        // The cluster's secrets stay with the daemon: no child, nor any command it runs, inherits them.
        // A child that needs Redis for shared objects gets the URI in its set-up frame instead.
        builder.environment().keySet().removeAll(SECRETS);
        builder.environment().put(ProcessTree.TAG_VARIABLE, tag);
        Process process = builder.start();
        launched.add(process, tag);
        AtomicBoolean waiting = new AtomicBoolean(true); // whoever turns it first: the hello or the timeout
        CompletableFuture.delayedExecutor(helloTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> {
                    if (waiting.compareAndSet(true, false)) ProcessTree.kill(process, tag);
                });
        try {
            // The JDK buffers a process's stdout already; a second buffer over it would make each read of a
            // result ask the pipe how much waits behind it (an fstat and an ioctl: 6 % of the worker's CPU).
            DataInputStream stdout = new DataInputStream(process.getInputStream());
            DataOutputStream stdin = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
            byte[] hello;
            try {
                // The set-up goes first, so the child loads its task classes before it says hello: the hello
                // means ready. A child killed under the write (no hello in time) breaks the pipe.
                Frames.write(stdin, setup);
                hello = Frames.read(stdout);
            } catch (IOException e) {
                throw waiting.get() ? e : noHello(process); // killed under the write or the read
            }
            if (!waiting.compareAndSet(true, false)) throw noHello(process); // killed: its stdout just ended
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
            long millis = (System.nanoTime() - t0) / 1_000_000;
            return new ChildProcess(process, stdout, stdin, millis, reason, tag, watches.watch(process.pid()));
        } catch (IOException | RuntimeException e) {
            waiting.set(false);
            ProcessTree.kill(process, tag);
            throw e;
        } catch (InterruptedException e) {
            waiting.set(false);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting a child", e);
        }
    }
}
