package io.forklift.worker;

import io.forklift.daemon.MetricsServer;
import io.forklift.redis.Preflight;
import io.forklift.redis.Queues;
import io.forklift.redis.Redis;
import io.forklift.redis.Workers;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * A worker daemon: checks Redis, starts its children, then runs the {@link Dispatcher} on the calling
 * thread until SIGTERM (or SIGINT) drains it: no more claims, running tasks get the grace period to
 * finish, then the children are stopped and the process exits 0.
 */
public final class WorkerDaemon {
    private static final Logger log = LoggerFactory.getLogger(WorkerDaemon.class);
    private static final Duration CHILD_EXIT_TIMEOUT = Duration.ofSeconds(5);
    /** How long the worker waits for the children it killed last to be reaped. */
    static final Duration REAP_TIMEOUT = Duration.ofSeconds(2);

    private static final Duration ABANDON_AFTER = Duration.ofSeconds(10);

    private final WorkerConfig config;
    private final int maxProcesses;

    public WorkerDaemon(WorkerConfig config) {
        this(config, 0);
    }

    /** A worker that also runs up to {@code maxProcesses} Processes at once, each in a JVM of its own; 0 for none. */
    public WorkerDaemon(WorkerConfig config, int maxProcesses) {
        this.config = config;
        this.maxProcesses = maxProcesses;
    }

    /** Runs until drained; returns the exit status. */
    public int run() throws IOException, InterruptedException {
        // Signals are handled from the first moment: one that comes before the daemon is up ends it cleanly.
        AtomicBoolean stopRequested = new AtomicBoolean();
        AtomicReference<Runnable> onStop = new AtomicReference<>(() -> stopRequested.set(true));
        Signal.handle(new Signal("TERM"), s -> onStop.get().run());
        Signal.handle(new Signal("INT"), s -> onStop.get().run());
        String host = hostName();
        TaskCatalog catalog = TaskCatalog.scan(config.tasksDir());
        try (Redis redis = Redis.connect(config.redisUri(), config.prefix(), Duration.ofSeconds(2), 6);
                MetricsServer metricsServer = MetricsServer.start(config.metricsHost(), config.metricsPort())) {
            Preflight.check(redis);
            refuseLiveNamesake(redis, host);
            new Queues(redis).register(config.queues());
            ProcessSide processSide =
                    maxProcesses == 0 ? null : new ProcessSide(config, maxProcesses, 1, catalog, host);
            if (processSide != null) new Queues(redis).register(List.of(io.forklift.redis.Keys.PROCESS_QUEUE));

            BlockingQueue<WorkerEvent> events = new LinkedBlockingQueue<>();
            ChildLauncher launcher = new ChildLauncher(
                    catalog,
                    config.childJvmOptions(),
                    config.execAllow(),
                    config.maxResultBytes(),
                    config.workerId(),
                    host,
                    config.redisUri(),
                    config.prefix());
            WorkerMetrics metrics = new WorkerMetrics(metricsServer.registry(), config.workerId());
            ChildPool children =
                    new ChildPool(launcher, config.processes(), config.maxTasksPerChild(), events, metrics);
            Fetcher fetcher = new Fetcher(config, redis, events);
            Waker waker = new Waker(redis, config.queues(), config.idleCheck(), events, fetcher);
            Dispatcher dispatcher = new Dispatcher(config, catalog, children, fetcher, waker, events, host, metrics);
            RevocationListener revocations = new RevocationListener(redis, events);
            metrics.watch(config.processes(), children, dispatcher);
            Heartbeat heartbeat = new Heartbeat(
                    redis,
                    config,
                    children,
                    processSide == null ? List::of : processSide::pids,
                    metrics,
                    host,
                    metricsServer.port());

            if (config.authkey() == null) {
                log.warn(
                        "NO AUTHKEY: task messages are not signed, so anyone who can write to Redis at {} can run any "
                                + "task registered here; give every worker, coordinator and client the same authkey "
                                + "(FORKLIFT_AUTHKEY or --authkey-file)",
                        redis.where());
            } else {
                log.info(
                        "task messages are verified and replies signed with authkey {}",
                        config.authkey().keyId());
            }
            log.info(
                    "worker {} (pid {}) serving {} with {} children, and up to {} processes; tasks: {}; metrics: {}",
                    config.workerId(),
                    ProcessHandle.current().pid(),
                    config.queues(),
                    config.processes(),
                    maxProcesses,
                    catalog.names(),
                    metricsServer.port() < 0 ? "off" : "http://" + host + ":" + metricsServer.port() + "/metrics");
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "worker-heartbeat");
                t.setDaemon(true);
                return t;
            });
            onStop.set(() -> {
                log.info(
                        "stopping: no more claims; {} leased tasks get up to {} s",
                        dispatcher.leasedCount(),
                        config.grace().toSeconds());
                try {
                    // Arm the deadline before draining: an idle dispatcher ends at once and shuts the scheduler down.
                    scheduler.schedule(dispatcher::graceOver, config.grace().toMillis(), TimeUnit.MILLISECONDS);
                    if (processSide != null)
                        scheduler.schedule(
                                processSide::graceOver, config.grace().toMillis(), TimeUnit.MILLISECONDS);
                    scheduler.schedule(
                            () -> {
                                log.error(
                                        "could not finish stopping {} s after the grace period (is Redis reachable?); exiting now: "
                                                + "the tasks this worker still holds run again elsewhere once their leases run out",
                                        ABANDON_AFTER.toSeconds());
                                dispatcher.abandon();
                                if (processSide != null) processSide.abandon();
                            },
                            config.grace().plus(ABANDON_AFTER).toMillis(),
                            TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException alreadyStopping) {
                    return;
                }
                dispatcher.drain();
                if (processSide != null) processSide.drain();
            });
            if (stopRequested.get()) return 0;

            heartbeat.beat();
            // A beat as each child becomes ready, not up to an interval later: what waits for the pool to be
            // up (forklift local, the bench, LocalWorker.awaitChildren) reads the heartbeat.
            children.onEachReady(() -> {
                try {
                    scheduler.execute(heartbeat::beat);
                } catch (RejectedExecutionException stopping) {
                    // the worker stops: its last heartbeat is cleared anyway
                }
            });
            scheduler.scheduleAtFixedRate(
                    heartbeat::beat,
                    Heartbeat.INTERVAL.toMillis(),
                    Heartbeat.INTERVAL.toMillis(),
                    TimeUnit.MILLISECONDS);
            start(waker, "worker-waker");
            start(fetcher, "worker-fetcher");
            start(revocations, "worker-revocations");
            children.start();
            try {
                if (processSide != null) processSide.start();
                dispatcher.run();
                if (processSide != null) processSide.awaitStopped();

                children.stop();
                waker.stop();
                fetcher.stop();
                revocations.stop();
                scheduler.shutdownNow();
                heartbeat.clear();
                children.awaitExit(CHILD_EXIT_TIMEOUT);
                children.killAll();
                log.info(
                        "worker {} stopped after {} tasks ({} failed)",
                        config.workerId(),
                        metrics.started(),
                        metrics.failedRuns());
                return dispatcher.abandoned() ? 1 : 0;
            } finally {
                // However the daemon ends (an error too), no child JVM it started outlives it, neither running
                // nor as a zombie for whatever adopts it: what is left is killed and reaped
                launcher.killLaunched(REAP_TIMEOUT);
                if (processSide != null) processSide.killLaunched();
            }
        }
    }

    /**
     * A worker id names one live process: a second one would fence the first out of its queues
     * silently. A heartbeat from this host whose pid is gone is a predecessor's, and no obstacle.
     */
    private void refuseLiveNamesake(Redis redis, String host) {
        new Workers(redis).read(config.workerId()).ifPresent(beat -> {
            boolean here = host.equals(beat.host());
            if (here
                    && (beat.pid() == ProcessHandle.current().pid()
                            || ProcessHandle.of(beat.pid()).isEmpty())) return;
            throw new IllegalStateException("worker id " + config.workerId() + " is in use by pid " + beat.pid()
                    + " on "
                    + beat.host() + " (its heartbeat is " + (System.currentTimeMillis() - beat.beatAt()) + " ms old); "
                    + "give this worker another --id, or stop that one first");
        });
    }

    private static void start(Runnable role, String name) {
        Thread t = new Thread(role, name);
        t.setDaemon(true);
        t.start();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
