package io.forklift.cli.local;

import io.forklift.daemon.LocalAuthkey;
import io.forklift.daemon.LocalWorker;
import io.forklift.daemon.Orphans;
import io.forklift.embedded.EmbeddedRedis;
import io.forklift.redis.Redis;
import io.forklift.wire.Authkey;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Everything {@code forklift local} runs on this machine: an embedded {@code redis-server} (unless a
 * Redis URI was given), a coordinator JVM (housekeeping: requeues the tasks of a dead worker) and W
 * worker daemon JVMs, each with its children. Logs go to a temporary folder unless a log folder is given.
 * With {@code hosts} above 0 each worker runs on a simulated host of its own (a network namespace, see
 * {@link SimulatedHosts}) and reaches Redis across a bridge, as workers on other machines would.
 *
 * <p>{@link #close()} stops it all, in order, and may be called from a shutdown hook while {@link #start}
 * is still running: workers get SIGTERM and drain, a child that outlives its worker is killed, the
 * coordinator and Redis stop, and the temporary folders are deleted. The caller must call {@code close()};
 * a shutdown hook of the cluster's own calls it too, and a second caller waits for the first to finish.
 */
final class LocalCluster implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /** The placeholder of the Python fetcher's allow-list entry: a URL on the loopback demo site. */
    static final String PYTHON_URL = "{url:http://127\\.0\\.0\\.1:[0-9]+/\\S*}";

    private final LocalSettings settings;
    private final String idBase = "local-" + ProcessHandle.current().pid() + "-";
    private final List<LocalWorker> workers = new ArrayList<>();
    private final Map<String, List<Long>> children = new LinkedHashMap<>();
    private final Map<String, List<Long>> processJvms = new LinkedHashMap<>(); // the spare each worker keeps
    private EmbeddedRedis embedded;
    private SimulatedHosts hosts;
    private String workerUri;
    private Process coordinator;
    private Path logs;
    private Path tempDir;
    private LocalAuthkey authkey;
    private String pythonCommand;
    private String uri;
    private boolean closed;
    private final CountDownLatch closeDone = new CountDownLatch(1);
    private final Thread closeAtExit = new Thread(this::close, "stop-local-cluster");

    /** The allow-listed command line of the Python page fetcher; null unless LocalSettings.pythonFetcher. */
    String pythonCommand() {
        return pythonCommand;
    }

    LocalCluster(LocalSettings settings) {
        this.settings = settings;
    }

    /**
     * Starts Redis and the workers and waits until every worker has all its children. On failure,
     * stops whatever had started before throwing.
     */
    void start() throws IOException, InterruptedException {
        try {
            startAll();
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void startAll() throws IOException, InterruptedException {
        synchronized (this) {
            if (closed) throw new InterruptedException("stopped while starting");
            Runtime.getRuntime().addShutdownHook(closeAtExit);
            localAuthkey(); // makes the temporary folder: logs, unless kept elsewhere, and the authkey
            logs = settings.logDir() == null ? tempDir : Files.createDirectories(settings.logDir());
            if (settings.hosts() > 0) hosts = SimulatedHosts.create(settings.hosts());
            if (settings.redisUri() == null && hosts != null) {
                String bridge = hosts.address().getHostAddress();
                embedded = EmbeddedRedis.start(
                                "--appendonly", "no", "--bind", "127.0.0.1", bridge, "--protected-mode", "no")
                        .stoppedByOwner();
                uri = embedded.uri();
                workerUri = "redis://" + bridge + ":" + embedded.port();
            } else if (settings.redisUri() == null) {
                // stopped by close(), after the workers have drained, not killed the moment the JVM begins to exit
                embedded = EmbeddedRedis.start("--appendonly", "no").stoppedByOwner();
                uri = embedded.uri();
                workerUri = uri;
            } else {
                uri = settings.redisUri();
                workerUri = uri;
            }
            if (settings.coordinator()) coordinator = startCoordinator();
        }
        List<String> args = new ArrayList<>(List.of(
                "--redis",
                workerUri,
                "--prefix",
                settings.prefix(),
                "--queues",
                String.join(",", settings.queues()),
                "--processes",
                Integer.toString(settings.processes()),
                "--grace",
                "PT10S",
                "--tasks", // the examples register only from a tasks folder
                io.forklift.examples.ExampleTasks.folder(logs.resolve("tasks")).toString()));
        args.addAll(authkey.options());
        if (settings.pythonFetcher()) {
            pythonCommand = LocalProcesses.pythonFetcher(logs, PYTHON_URL);
            args.addAll(List.of("--exec-allow", pythonCommand));
        }
        for (int i = 1; i <= settings.workers(); i++) {
            String id = idBase + i;
            synchronized (this) {
                if (closed) throw new InterruptedException("stopped while starting");
                List<String> workerArgs = new ArrayList<>(args);
                workerArgs.addAll(List.of("--metrics-port", Integer.toString(settings.metricsPort(i))));
                List<String> wrapper = hosts == null ? List.of() : hosts.wrapper((i - 1) % hosts.count() + 1);
                workers.add(LocalWorker.start(id, logs.resolve(id + ".log"), workerArgs, wrapper));
            }
        }
        try (Redis redis = Redis.connect(uri, settings.prefix(), Duration.ofSeconds(2), 2)) {
            for (LocalWorker w : workersSnapshot()) {
                List<Long> pids = awaitChildren(w, redis);
                List<Long> spare = w.awaitProcessChildren(redis, 1, START_TIMEOUT);
                synchronized (this) {
                    children.put(workerId(w), pids);
                    processJvms.put(workerId(w), spare);
                }
            }
        }
        Process c = coordinator();
        if (c != null && httpUrl() != null) HttpPorts.awaitUp(httpUrl(), c, START_TIMEOUT);
        if (c != null && !c.isAlive()) {
            throw new IllegalStateException(
                    "the coordinator exited with " + c.exitValue() + "; its log ends:\n" + lastLines(coordinatorLog()));
        }
    }

    /** {@code forklift coordinator} as a JVM of its own, with this JVM's class path. */
    private Process startCoordinator() throws IOException {
        return LocalProcesses.coordinator(
                settings.coordinatorOptions(uri, idBase + "coordinator", authkey.file()),
                logs.resolve("coordinator.log"));
    }

    private List<Long> awaitChildren(LocalWorker w, Redis redis) throws IOException, InterruptedException {
        try {
            return w.awaitChildren(redis, settings.processes(), START_TIMEOUT);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; its log ends:\n" + lastLines(w.log()), e);
        }
    }

    /** A refusal (a taken port, a bad setting) is a daemon log's last line; a crash shows its last few. */
    private static String lastLines(Path log) throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
    }

    /** The coordinator's HTTP API, e.g. {@code http://127.0.0.1:8470}; null when it serves none. */
    String httpUrl() {
        return settings.coordinator() && settings.httpPort() > 0 ? "http://127.0.0.1:" + settings.httpPort() : null;
    }

    /** The file holding the cluster's authkey (deleted on exit). */
    synchronized Path authkeyFile() throws IOException {
        return localAuthkey().file();
    }

    /** The cluster's authkey, which every program that submits to it needs; known before {@link #start}. */
    synchronized Authkey authkey() throws IOException {
        return localAuthkey().authkey();
    }

    /** The authkey, made with the temporary folder on first use. */
    private synchronized LocalAuthkey localAuthkey() throws IOException {
        if (authkey == null) {
            tempDir = Files.createTempDirectory("forklift-local-");
            authkey = LocalAuthkey.create(tempDir);
        }
        return authkey;
    }

    String uri() {
        return uri;
    }

    /** The simulated hosts the workers run on, or null when they run on this machine's own network. */
    synchronized SimulatedHosts hosts() {
        return hosts;
    }

    String prefix() {
        return settings.prefix();
    }

    /** The coordinator process, or null when none was started. */
    synchronized Process coordinator() {
        return coordinator;
    }

    synchronized Path coordinatorLog() {
        return logs.resolve("coordinator.log");
    }

    /** The embedded Redis, or null when an existing one is used. */
    EmbeddedRedis embedded() {
        return embedded;
    }

    synchronized List<LocalWorker> workersSnapshot() {
        return List.copyOf(workers);
    }

    synchronized String workerId(LocalWorker w) {
        return idBase + (workers.indexOf(w) + 1);
    }

    /** Child pids of each worker, as its heartbeat listed them once it was ready. */
    synchronized Map<String, List<Long>> children() {
        return new LinkedHashMap<>(children);
    }

    /** Per worker, the pids of its Processes' JVMs when it became ready (the spare it keeps started). */
    synchronized Map<String, List<Long>> processJvms() {
        return new LinkedHashMap<>(processJvms);
    }

    /** Every process this cluster started and is responsible for: redis-server, workers, their children. */
    synchronized List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        if (embedded != null && embedded.isAlive()) pids.add(embedded.pid());
        if (coordinator != null) pids.add(coordinator.pid());
        for (LocalWorker w : workers) pids.add(w.pid());
        children.values().forEach(pids::addAll);
        processJvms.values().forEach(pids::addAll);
        return pids;
    }

    /** The temporary folders that {@link #close()} removes. */
    synchronized List<Path> temporaryFolders() {
        List<Path> dirs = new ArrayList<>();
        if (tempDir != null) dirs.add(tempDir);
        if (embedded != null) dirs.add(embedded.dataDir());
        return dirs;
    }

    /** Stops everything; idempotent. Reports on {@code report} anything it had to kill. */
    void close(PrintStream report) {
        List<LocalWorker> toStop;
        boolean first;
        synchronized (this) {
            first = !closed;
            closed = true;
            toStop = List.copyOf(workers);
        }
        if (!first) {
            awaitClosed();
            return;
        }
        try {
            stop(toStop, report);
        } finally {
            closeDone.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(closeAtExit);
            } catch (IllegalStateException shuttingDown) {
                // called from a shutdown hook: there is nothing to remove
            }
        }
    }

    /** Waits for the close() another thread is running: the second caller says "stopped" only once all is. */
    private void awaitClosed() {
        try {
            closeDone.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop(List<LocalWorker> toStop, PrintStream report) {
        // SIGTERM to every worker at once, so they drain in parallel
        Map<LocalWorker, List<ProcessHandle>> descendants = new LinkedHashMap<>();
        for (LocalWorker w : toStop) {
            descendants.put(w, w.process().descendants().toList());
            w.process().destroy();
        }
        for (LocalWorker w : toStop) {
            try {
                w.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                w.process().destroyForcibly();
            }
            List<ProcessHandle> left =
                    descendants.get(w).stream().filter(ProcessHandle::isAlive).toList();
            if (!left.isEmpty()) {
                report.printf("forklift local: pids %s outlived worker %s; killing them%n", pids(left), workerId(w));
                try {
                    List<ProcessHandle> stuck = Orphans.kill(left, Duration.ofSeconds(5));
                    if (!stuck.isEmpty())
                        report.printf("forklift local: pids %s still there 5 s after SIGKILL%n", pids(stuck));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        Process coordinatorProcess;
        synchronized (this) {
            coordinatorProcess = coordinator;
        }
        if (coordinatorProcess != null) LocalProcesses.stop(coordinatorProcess, "coordinator", report);
        try {
            if (embedded != null) embedded.close();
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            report.println("forklift local: stopping redis-server: " + e);
        }
        SimulatedHosts simulated;
        synchronized (this) {
            simulated = hosts;
        }
        if (simulated != null) simulated.close();
        if (tempDir != null) LocalProcesses.deleteTree(tempDir, report);
    }

    @Override
    public void close() {
        close(System.err);
    }

    private static List<Long> pids(List<ProcessHandle> processes) {
        return processes.stream().map(ProcessHandle::pid).toList();
    }
}
