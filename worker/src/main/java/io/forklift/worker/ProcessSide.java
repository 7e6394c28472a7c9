package io.forklift.worker;

import io.forklift.redis.Keys;
import io.forklift.redis.Processes;
import io.forklift.redis.Redis;
import io.forklift.redis.Revocations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's second engine, for Processes: a {@link Dispatcher} of its own on the cluster-wide
 * process queue, whose children each run one Process in a fresh JVM ({@link ChildPool#ofSpares}),
 * with its own fetcher, waker, revocation listener and Redis connections, so Processes never take
 * a pool child nor wait behind pool tasks. Adds what a Process has beyond a task: the signals that
 * terminate and kill send, the registry and printed lines ({@link ProcessWatch}), and the liveness
 * check that terminates a daemonic Process once its starter is gone.
 */
final class ProcessSide {
    private static final Logger log = LoggerFactory.getLogger(ProcessSide.class);
    private static final Duration OWNER_CHECK = Duration.ofSeconds(1);

    private final WorkerConfig config;
    private final String host;
    private final Redis redis;
    private final Processes processes;
    private final BlockingQueue<WorkerEvent> events = new LinkedBlockingQueue<>();
    private final ChildLauncher launcher;
    private final ChildPool children;
    private final Waker waker;
    private final Fetcher fetcher;
    private final Dispatcher dispatcher;
    private final RevocationListener revocations;
    private final RevocationListener signals;
    private final Map<String, String> daemons = new ConcurrentHashMap<>(); // process id -> its starter's client id
    private final Set<String> orphaned = ConcurrentHashMap.newKeySet();
    // One thread for registry writes, so a Process's "running" is written before its end.
    private final ScheduledExecutorService registry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "process-registry");
        t.setDaemon(true);
        return t;
    });
    private Thread loop;

    ProcessSide(WorkerConfig pool, int maxProcesses, int spares, TaskCatalog catalog, String host) {
        this.config = new WorkerConfig(
                pool.redisUri(),
                pool.prefix(),
                List.of(Keys.PROCESS_QUEUE),
                maxProcesses,
                1,
                0,
                pool.tasksDir(),
                pool.workerId(),
                pool.lease(),
                pool.resultTtl(),
                pool.grace(),
                pool.idleCheck(),
                pool.execAllow(),
                pool.childJvmOptions(),
                pool.maxPayloadBytes(),
                pool.maxResultBytes(),
                pool.authkey(),
                -1,
                pool.metricsHost());
        this.host = host;
        this.redis = Redis.connect(config.redisUri(), config.prefix(), Duration.ofSeconds(2), 8);
        this.processes = new Processes(redis);
        this.launcher = new ChildLauncher(
                catalog,
                config.childJvmOptions(),
                config.execAllow(),
                config.maxResultBytes(),
                config.workerId(),
                host,
                config.redisUri(),
                config.prefix(),
                pid -> new ProcessWatch(this, pid));
        // Its own meters, not exported: the dispatcher's meters are one thread's, and the pool's gauges are the pool's.
        WorkerMetrics metrics = new WorkerMetrics(new SimpleMeterRegistry(), config.workerId());
        this.children = ChildPool.ofSpares(launcher, maxProcesses, spares, events, metrics);
        this.fetcher = new Fetcher(config, redis, events, false); // the queue fetcher reports outages
        this.waker = new Waker(redis, config.queues(), config.idleCheck(), events, fetcher);
        this.dispatcher = new Dispatcher(config, catalog, children, fetcher, waker, events, host, metrics);
        // A Process no child ran ends with 1 here, so its joiners wake whoever started it (HTTP callers too).
        dispatcher.onRefused((id, why) -> ended(id, 1, why));
        this.revocations = new RevocationListener(redis, events);
        this.signals =
                new RevocationListener(new Revocations(redis, redis.keys().processSignals(), this::signal));
    }

    void start() {
        for (Runnable r : List.of(waker, fetcher, revocations, signals))
            daemon(r, "process-" + r.getClass().getSimpleName());
        children.start();
        registry.scheduleWithFixedDelay(this::checkOwners, 1000, OWNER_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        loop = daemon(dispatcher, "process-dispatcher");
    }

    /** Pids of the Processes' JVMs, for the heartbeat; from any thread. */
    List<Long> pids() {
        return children.pids();
    }

    String host() {
        return host;
    }

    /** No more Processes are taken; running ones get the grace, as the pool's tasks do. */
    void drain() {
        dispatcher.drain();
    }

    void graceOver() {
        dispatcher.graceOver();
    }

    void abandon() {
        dispatcher.abandon();
    }

    /** Waits for the drained dispatcher, then stops the rest; what still runs is killed. */
    void awaitStopped() throws InterruptedException {
        if (loop != null) loop.join();
        children.stop();
        waker.stop();
        fetcher.stop();
        revocations.stop();
        signals.stop();
        registry.shutdown();
        registry.awaitTermination(5, TimeUnit.SECONDS);
        children.awaitExit(Duration.ofSeconds(5));
        children.killAll();
        killLaunched();
        redis.close();
    }

    /** Kills and reaps every Process JVM not reaped yet: the worker's last step, however it ends. */
    void killLaunched() throws InterruptedException {
        launcher.killLaunched(WorkerDaemon.REAP_TIMEOUT);
    }

    /** A child took Process {@code id}: record it, and send it a signal asked for before it ran. */
    void started(String id, long pid, boolean daemon, String client) {
        if (daemon && client != null) daemons.put(id, client);
        registry.execute(() -> {
            try {
                int pending = processes.running(id, pid, host, config.workerId());
                if (pending > 0) events.add(new WorkerEvent.Signal(id, pending));
            } catch (RuntimeException e) {
                log.warn("could not record that process {} runs in child {}: {}", id, pid, e.getMessage());
            }
        });
    }

    /** Process {@code id} ended; the first end recorded counts. */
    void ended(String id, int exitCode, String error) {
        daemons.remove(id);
        orphaned.remove(id);
        registry.execute(() -> {
            try {
                processes.end(id, exitCode, error, config.resultTtl());
            } catch (RuntimeException e) {
                log.warn("could not record that process {} ended with {}: {}", id, exitCode, e.getMessage());
            }
        });
    }

    /** Sends printed lines to the starter's stream; on the child's stderr pump thread. */
    void print(String client, List<Processes.Line> lines) {
        try {
            processes.print(client, lines);
        } catch (RuntimeException e) {
            log.warn("could not send {} printed lines to client {}: {}", lines.size(), client, e.getMessage());
        }
    }

    private void signal(String signal, String id) {
        try {
            int n = Integer.parseInt(signal);
            if (n == 9 || n == 15) events.add(new WorkerEvent.Signal(id, n));
        } catch (NumberFormatException ignored) {
            // not a signal message: nothing to do
        }
    }

    /** Terminates each daemonic Process whose starter's liveness lease is gone, as Python's daemons end with it. */
    private void checkOwners() {
        if (daemons.isEmpty()) return;
        try {
            Set<String> alive = processes.ownersAlive(Set.copyOf(daemons.values()));
            daemons.forEach((id, client) -> {
                if (!alive.contains(client) && orphaned.add(id)) {
                    log.info("process {}: its starter {} is gone; terminating it (daemonic)", id, client);
                    events.add(new WorkerEvent.Signal(id, 15));
                }
            });
        } catch (RuntimeException e) {
            log.debug("could not check the starters of daemonic processes: {}", e.getMessage());
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
