package io.forklift.cli.bench;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import io.forklift.Pool;
import io.forklift.daemon.LocalAuthkey;
import io.forklift.daemon.LocalWorker;
import io.forklift.embedded.EmbeddedRedis;
import io.forklift.redis.Redis;
import io.forklift.wire.Json;
import io.forklift.wire.WorkerHeartbeat;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code forklift bench}: no-op tasks through one local worker daemon with P children, results routed
 * back to this program. Measures throughput (first submit to last callback), sequential {@code apply}
 * round trips, child start time and child memory.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        subcommands = io.forklift.cli.local.HostsBench.class,
        description = "Measure throughput and round-trip latency of no-op tasks through a local worker.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--redis", description = "Use this Redis instead of starting an embedded one")
    String redisUri;

    @Option(
            names = "--aof",
            defaultValue = "no",
            description =
                    "Persistence of the embedded Redis: no (Redis's default), everysec or always (AOF with that appendfsync). "
                            + "Ignored with --redis. Default: ${DEFAULT-VALUE}")
    String aof;

    @Option(
            names = "--processes",
            defaultValue = "8",
            description = "Children of the worker. Default: ${DEFAULT-VALUE}")
    int processes;

    @Option(
            names = "--pool",
            description = "The pool's cap, fl.pool(q, n): at most this many of its tasks running at once; at or above "
                    + "--processes it never holds a child back (prefetching is --prefetch's). Default: 2 x --processes")
    Integer poolSize;

    @Option(
            names = "--prefetch",
            description = "The worker's --prefetch. Default: the worker's own (forklift worker --help)")
    Integer prefetch;

    @Option(
            names = "--tasks",
            defaultValue = "200000",
            description = "Tasks for the throughput run. Default: ${DEFAULT-VALUE}")
    int tasks;

    @Option(
            names = "--warmup",
            defaultValue = "300000",
            description = "At most this many tasks before the throughput run, reported apart: they go on, "
                    + "20,000 at a time, until the JIT compilers of the worker, its children "
                    + "and the client go quiet, so the run measures a worker that has been up a while; 0 measures "
                    + "at once. Default: ${DEFAULT-VALUE}")
    int warmup;

    @Option(
            names = "--round-trips",
            defaultValue = "5000",
            description = "Sequential apply calls for the latency run. Default: ${DEFAULT-VALUE}")
    int roundTrips;

    @Option(
            names = "--round-trip-warmup",
            defaultValue = "20000",
            description = "At most this many sequential apply calls before the latency run, reported apart: "
                    + "they go on, 1,000 at a time, until the worker's and the client's JIT compilers go quiet "
                    + "(after the throughput run they recompile the round-trip path for several seconds and hold "
                    + "the CPUs its hand-offs wait for); 0 measures at once. Default: ${DEFAULT-VALUE}")
    int roundTripWarmup;

    @Option(
            names = "--no-authkey",
            description = "Run unsigned, to measure what signing costs (by default the bench signs every task "
                    + "message and reply with a fresh authkey, as forklift local does)")
    boolean noAuthkey;

    @Option(
            names = "--no-floor",
            description = "Skip the throughput and round-trip floors (the same hops, no Forklift code)")
    boolean noFloor;

    @Option(names = "--json", description = "Also print the figures as one JSON line on stdout")
    boolean json;

    @Option(
            names = "--result-ttl",
            defaultValue = "PT1H",
            description = "The worker's --result-ttl. Default: ${DEFAULT-VALUE}")
    Duration resultTtl;

    @Option(
            names = "--memory-check",
            description =
                    "Record Redis's used_memory before the throughput run, after it, and once "
                            + "its results have expired (--result-ttl + 60 s, the results hashes' TTL), to show memory is bounded")
    boolean memoryCheck;

    @Option(
            names = "--manager",
            description = "Benchmark the Manager's shared objects instead of tasks (no worker); "
                    + "--tasks is then the values of the batched queue run")
    boolean manager;

    @Option(
            names = "--http",
            description = "Benchmark the coordinator's HTTP API (in this JVM) against the worker: submits, "
                    + "lookups, queue calls, wake latencies, 1,000 concurrent long polls")
    boolean http;

    @Option(
            names = "--process",
            description = "Also measure Processes (fl.process): start -> first printed line, join wake-up, terminate")
    boolean process;

    @Option(
            names = "--http-waits",
            description = "With --http: only the 1,000 concurrent blocked queue gets (a queue each, then one shared)")
    boolean httpWaitsOnly;

    @Option(
            names = "--http-locks",
            description = "With --http: only the lock figures (uncontended acquire + release, then 1,000 parked"
                    + " acquirers let through one by one)")
    boolean httpLocksOnly;

    @Option(names = "--locks", description = "With --manager: only the lock figures")
    boolean locksOnly;

    private final PrintStream progress = System.err;

    @Override
    public Integer call() throws Exception {
        EmbeddedRedis embedded = null;
        String uri = redisUri;
        if (uri == null) {
            if (!List.of("no", "everysec", "always").contains(aof)) {
                throw new picocli.CommandLine.ParameterException(
                        new picocli.CommandLine(this), "--aof must be no, everysec or always, not " + aof);
            }
            progress.printf("starting an embedded redis-server (%s) …%n", persistence());
            embedded = "no".equals(aof)
                    ? EmbeddedRedis.start("--appendonly", "no")
                    : EmbeddedRedis.start("--appendfsync", aof);
            uri = embedded.uri();
            progress.printf("  %s%n", embedded.server());
        }
        String prefix = "bench-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36) + ":";
        if (manager) {
            try (Redis redis = Redis.connect(uri, prefix, Duration.ofSeconds(2), 2);
                    Forklift fl = Forklift.connect(ForkliftOptions.of(uri).withPrefix(prefix))) {
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("redis", redisUri == null ? "embedded, " + persistence() : redisUri);
                if (embedded != null) figures.put("redis_server", embedded.server());
                if (!locksOnly) new ManagerBench(fl, redis, progress).run(figures, tasks);
                new LockBench(fl, redis, progress).run(figures);
                progress.println();
                figures.forEach((k, v) -> progress.printf("  %-26s %s%n", k, v));
                System.out.println(Json.MAPPER.writeValueAsString(figures));
            } finally {
                if (embedded != null) embedded.close();
            }
            return 0;
        }
        Path log = Files.createTempFile("forklift-bench-worker-", ".log");
        Path keyDir = Files.createTempDirectory("forklift-bench-");
        LocalAuthkey authkey = noAuthkey ? null : LocalAuthkey.create(keyDir);
        List<String> workerArgs = workerArgs(uri, prefix);
        if (authkey != null) workerArgs.addAll(authkey.options());
        long launchedNanos = System.nanoTime();
        try (Redis redis = Redis.connect(uri, prefix, Duration.ofSeconds(2), 2);
                LocalWorker worker = LocalWorker.start("bench-worker", log, workerArgs);
                Forklift fl = Forklift.connect(ForkliftOptions.of(uri)
                        .withPrefix(prefix)
                        .withAuthkey(authkey == null ? null : authkey.authkey()))) {
            progress.printf(
                    "redis %s; worker pid %d starting %d children (log: %s; its class archive: %s) …%n",
                    uri, worker.pid(), processes, log, worker.classArchive());
            List<Long> children = worker.awaitChildren(redis, processes, Duration.ofSeconds(60));
            long workerReadyMs = (System.nanoTime() - launchedNanos) / 1_000_000; // to the heartbeat's 50 ms polls
            if (http)
                return new HttpBench(uri, prefix, authkey, progress).runAndPrint(tasks, httpWaitsOnly, httpLocksOnly);
            int cap = poolSize != null ? poolSize : 2 * processes;
            Pool pool = fl.pool("bench", cap);

            MemoryCheck memory =
                    memoryCheck ? new MemoryCheck(redis, progress) : null; // before the warm-up leaves results
            if (warmup > 0)
                progress.printf(
                        "warming up: %,d tasks at a time until the JIT compilers go quiet, reported apart …%n",
                        ThroughputWarmup.ROUND);
            ThroughputWarmup.Result warm = ThroughputWarmup.run(pool, worker.pid(), children, warmup, progress);
            for (int i = 0; i < 500; i++) pool.apply(NoOp.class, i);

            progress.printf("throughput: %,d tasks …%n", tasks);
            CpuPerTask cpu = new CpuPerTask(redis, worker.pid(), children);
            CompilerCpu.Sampler compilers = new CompilerCpu.Sampler(worker.pid(), children);
            double perSecond = PoolRuns.throughput(pool, tasks);
            Map<String, Double> cpuPerTask = cpu.since(tasks);
            CompilerCpu.Spent compiled = compilers.sinceLast();
            if (memory != null) memory.afterRun();
            double floorPerSecond =
                    noFloor ? 0 : ThroughputFloor.measureOrZero(uri, prefix, processes, tasks, progress);
            Histogram latency = new Histogram(60_000_000L, 3);
            Histogram floor = new Histogram(60_000_000L, 3);
            Histogram warmup = new Histogram(60_000_000L, 3);
            int warmupCalls = 0;
            try (RoundTripFloor bare = noFloor ? null : RoundTripFloor.startOrNull(uri, prefix, progress)) {
                if (roundTripWarmup > 0) {
                    progress.println("round trips: warm-up calls until the JIT compilers go quiet, reported apart …");
                    warmupCalls = RoundTripWarmup.run(pool, warmup, bare, worker.pid(), roundTripWarmup, progress);
                }
                progress.printf(
                        "round trips: %,d sequential apply calls%s …%n",
                        roundTrips, bare == null ? "" : ", in turn with the floor's");
                for (int block = 0; block < 10; block++) { // in turn, so both meet the same load
                    int n = roundTrips * (block + 1) / 10 - roundTrips * block / 10;
                    PoolRuns.roundTrips(pool, latency, n);
                    if (bare != null) bare.measure(floor, n);
                }
            }

            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("processes", processes);
            figures.put("pool", cap);
            figures.put("redis", redisUri == null ? "embedded, " + persistence() : redisUri);
            if (embedded != null) figures.put("redis_server", embedded.server());
            figures.put("signed", authkey != null);
            if (authkey != null) {
                figures.put(
                        "signing_us_per_task",
                        Math.round(SigningCost.microsPerTask(authkey.authkey(), 400) * 100) / 100.0);
            }
            figures.put("tasks", tasks);
            figures.put("throughput_tasks_s", Math.round(perSecond));
            if (warm.tasks() > 0) {
                figures.put("warmup_tasks", warm.tasks());
                figures.put("warmup_throughput_tasks_s", Math.round(warm.tasksPerSecond()));
            }
            if (compiled != null)
                figures.put("jit_us_per_task", Math.round(compiled.totalMillis() * 10_000.0 / tasks) / 10.0);
            if (floorPerSecond > 0) figures.put("floor_throughput_tasks_s", Math.round(floorPerSecond));
            figures.put("p50_ms", latency.getValueAtPercentile(50) / 1000.0);
            figures.put("p99_ms", latency.getValueAtPercentile(99) / 1000.0);
            if (warmupCalls > 0) {
                figures.put("warmup_round_trips", warmupCalls);
                figures.put("warmup_p50_ms", warmup.getValueAtPercentile(50) / 1000.0);
                figures.put("warmup_p99_ms", warmup.getValueAtPercentile(99) / 1000.0);
            }
            if (floor.getTotalCount() > 0) {
                figures.put("floor_p50_ms", floor.getValueAtPercentile(50) / 1000.0);
                figures.put("floor_p99_ms", floor.getValueAtPercentile(99) / 1000.0);
            }
            figures.put("worker_ready_ms", workerReadyMs);
            figures.put("worker_class_archive", worker.classArchive());
            figures.put(
                    "child_start_ms",
                    worker.heartbeat(redis).map(WorkerHeartbeat::childStartMs).orElse(0L));
            figures.put(
                    "children_ready_ms",
                    worker.heartbeat(redis)
                            .map(WorkerHeartbeat::childrenReadyMs)
                            .orElse(0L));
            figures.put("child_rss_mb", Math.round(ChildRss.averageMb(children) * 10) / 10.0);
            cpuPerTask.forEach((part, micros) -> figures.put("cpu_us_per_task_" + part, micros));
            if (memory != null) figures.putAll(memory.afterExpiry(resultTtl.plusSeconds(60)));
            if (process) new ProcessBench(fl, redis, progress).run(figures, 10);
            TaskFigures.print(progress, figures, json);
            pool.close();
        } finally {
            if (embedded != null) embedded.close();
            if (authkey != null) Files.deleteIfExists(authkey.file());
            Files.deleteIfExists(keyDir);
        }
        return 0;
    }

    private String persistence() {
        return "no".equals(aof) ? "no AOF" : "AOF, appendfsync " + aof;
    }

    private List<String> workerArgs(String uri, String prefix) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "--redis",
                uri,
                "--prefix",
                prefix,
                "--queues",
                "bench",
                "--processes",
                Integer.toString(processes),
                "--result-ttl",
                resultTtl.toString()));
        if (prefetch != null) args.addAll(List.of("--prefetch", Integer.toString(prefetch)));
        return args;
    }
}
