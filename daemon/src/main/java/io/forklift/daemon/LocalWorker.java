package io.forklift.daemon;

import io.forklift.redis.Redis;
import io.forklift.redis.Workers;
import io.forklift.wire.WorkerHeartbeat;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A worker daemon started as a separate JVM on this machine, with this JVM's class path, for
 * {@code forklift bench} and the tests. Its log goes to a file; {@link #close()} sends SIGTERM.
 */
public final class LocalWorker implements AutoCloseable {
    /** The worker daemon's entry point, named rather than imported: this module stands below the worker. */
    private static final String WORKER_MAIN = "io.forklift.worker.WorkerCommand";

    private final Process process;
    private final String workerId;
    private final Path log;
    private final WorkerArchive archive;

    private LocalWorker(Process process, String workerId, Path log, WorkerArchive archive) {
        this.process = process;
        this.workerId = workerId;
        this.log = log;
        this.archive = archive;
    }

    /**
     * Starts {@code forklift worker} with {@code args} (which must not contain --id). Without a
     * {@code --metrics-port} in {@code args} it serves metrics on any free port (its heartbeat says which),
     * so several local workers never compete for the default one.
     */
    public static LocalWorker start(String workerId, Path log, List<String> args) throws IOException {
        return start(workerId, log, args, List.of());
    }

    /**
     * As {@link #start(String, Path, List)}, with the command run by {@code wrapper}, e.g.
     * {@code ip netns exec NAME}, which execs it, so {@link #pid()} is still the worker's own.
     */
    public static LocalWorker start(String workerId, Path log, List<String> args, List<String> wrapper)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> jvm = new ArrayList<>(
                List.of(java, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), WORKER_MAIN));
        WorkerArchive archive = WorkerArchive.of(ClassArchives.defaultDir(), jvm);
        jvm.addAll(1, archive.options());
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(jvm);
        cmd.addAll(List.of("--id", workerId));
        if (!args.contains("--metrics-port")) cmd.addAll(List.of("--metrics-port", "0"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        // A local worker belongs to the program that started it: if that program dies, so does the worker.
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy, "stop-local-worker-" + workerId));
        return new LocalWorker(p, workerId, log, archive);
    }

    /** Waits until the worker's heartbeat shows {@code children} live children; returns their pids. */
    public List<Long> awaitChildren(Redis redis, int children, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "worker " + workerId + " exited with " + process.exitValue() + "; see " + log);
            }
            List<Long> pids = heartbeat(redis).map(WorkerHeartbeat::children).orElse(List.of());
            if (pids.size() >= children) return pids;
            TimeUnit.MILLISECONDS.sleep(50); // polling the heartbeat: Redis has no event for it
        }
        throw new IllegalStateException(
                "worker " + workerId + " did not start " + children + " children within " + timeout + "; see " + log);
    }

    /**
     * Waits until the worker's heartbeat lists {@code count} JVMs of its Processes (the spare a
     * worker keeps started); returns their pids.
     */
    public List<Long> awaitProcessChildren(Redis redis, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Long> pids =
                    heartbeat(redis).map(WorkerHeartbeat::processChildren).orElse(List.of());
            if (pids.size() >= count) return pids;
            TimeUnit.MILLISECONDS.sleep(50); // polling the heartbeat: Redis has no event for it
        }
        throw new IllegalStateException(
                "worker " + workerId + " did not start its Processes' spare JVM within " + timeout + "; see " + log);
    }

    /** The worker's newest heartbeat; empty before its first and after it has expired. */
    public Optional<WorkerHeartbeat> heartbeat(Redis redis) {
        return new Workers(redis).read(workerId);
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    public Path log() {
        return log;
    }

    /**
     * Whether this worker's JVM started from the class archive of an earlier local worker ({@code used}),
     * records one as it exits ({@code recording}, the first run of a build), or neither ({@code none}).
     */
    public String classArchive() {
        return archive.state();
    }

    /** SIGTERM, then waits for the drain; SIGKILL (its children first) if it does not end in 30 s. Returns the exit status. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            // its children first, while it lives to reap them; killed after it, they would be left to init
            Orphans.kill(process.descendants().toList(), Duration.ofSeconds(5));
            process.destroyForcibly();
            process.waitFor();
        }
        archive.ended(process.exitValue());
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) stop();
        else archive.ended(process.exitValue());
    }
}
