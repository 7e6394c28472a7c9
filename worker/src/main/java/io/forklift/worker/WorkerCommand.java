package io.forklift.worker;

import io.forklift.ForkliftOptions;
import io.forklift.daemon.CommandErrors;
import io.forklift.daemon.options.AuthkeyOptions;
import io.forklift.daemon.options.IdOption;
import io.forklift.daemon.options.MetricsOptions;
import io.forklift.daemon.options.RedisOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code forklift worker}: runs a worker daemon. Also runnable on its own through {@link #main}. */
@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        description = "Run a worker daemon: claim tasks from the queues and run them in child processes.")
public final class WorkerCommand implements Callable<Integer> {
    /**
     * The default {@code --prefetch} per child, as Celery's prefetch multiplier: on a Redis with {@code
     * appendfsync always} each round trip waits for an fsync, and a deeper buffer lets the batches grow
     * (README, Performance). A worker still prefetches no more than one task per slot it holds ({@link
     * ClaimPlan}) whatever the buffer allows, so long tasks do not pile up on one worker while another idles.
     */
    static final int PREFETCH_PER_PROCESS = 4;

    @Mixin
    RedisOptions redis;

    @Mixin
    IdOption id;

    @Mixin
    MetricsOptions metrics;

    @Mixin
    AuthkeyOptions authkey;

    @Option(
            names = "--queues",
            split = ",",
            required = true,
            description = "Queues to serve, in priority order, e.g. crawl,default")
    List<String> queues;

    @Option(
            names = "--processes",
            description = "Child processes, i.e. tasks run at once. Default: number of processors")
    Integer processes;

    @Option(
            names = "--max-tasks-per-child",
            defaultValue = "0",
            description = "Replace a child after this many tasks; 0 = never")
    int maxTasksPerChild;

    @Option(
            names = "--prefetch",
            description = "Tasks leased beyond the children, so a finishing child gets its next task "
                    + "without a Redis round trip; 0 leases only what the children can run. Default: "
                    + PREFETCH_PER_PROCESS + " x --processes")
    Integer prefetch;

    @Option(
            names = "--max-processes",
            description = "Processes (fl.process(...)) this worker runs at once, each in a JVM of its own; one "
                    + "of them waits started so a Process starts at once. 0 serves no Processes. Default: 4")
    int maxProcesses = 4;

    @Option(names = "--tasks", description = "Folder of task jars added to the children's class path")
    Path tasksDir;

    @Option(
            names = "--lease",
            defaultValue = "PT6S",
            description =
                    "Task lease (ISO-8601 duration), renewed every third of it while "
                            + "the task runs; a dead worker's tasks run again elsewhere once it expires. Default: ${DEFAULT-VALUE}")
    Duration lease;

    @Option(
            names = "--result-ttl",
            defaultValue = "PT1H",
            description = "How long results are kept. Default: ${DEFAULT-VALUE}")
    Duration resultTtl;

    @Option(
            names = "--grace",
            defaultValue = "PT30S",
            description = "On SIGTERM, how long running tasks may finish. Default: ${DEFAULT-VALUE}")
    Duration grace;

    @Option(
            names = "--idle-check",
            defaultValue = "PT1S",
            description =
                    "How often an idle worker looks for work even without a wake token. Default: ${DEFAULT-VALUE}")
    Duration idleCheck;

    @Option(
            names = "--exec-allow",
            description = "A command line the built-in io.forklift.Exec task may run, exactly as given, e.g. "
                    + "'python3 /opt/crawl.py'; a request brings arguments only for placeholders: {name} takes one "
                    + "argument that does not start with '-', {name:REGEX} one that matches REGEX in full, e.g. "
                    + "'python3 /opt/fetch.py {url:https://[^\\s]+}'. Repeat for more. None by default.")
    List<String> execAllow = new java.util.ArrayList<>();

    @Option(
            names = "--child-jvm-options",
            split = " ",
            defaultValue = "-Xmx256m -Xms8m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError",
            description = "JVM options of each child, space-separated; they replace the default, so keep an -Xmx: "
                    + "without one a child may take a quarter of the machine's memory. Default: ${DEFAULT-VALUE} "
                    + "(a task that needs more heap fails with exit 3 and a fresh child runs the next)")
    List<String> childJvmOptions;

    @Option(
            names = "--max-payload",
            defaultValue = "" + ForkliftOptions.DEFAULT_MAX_PAYLOAD_BYTES,
            description = "Largest task message (bytes) this worker reads; a larger one is dead-lettered as too_large "
                    + "without being read. Default: ${DEFAULT-VALUE}, as the client's maxPayloadBytes")
    int maxPayloadBytes;

    @Option(
            names = "--max-result",
            defaultValue = "" + ForkliftOptions.DEFAULT_MAX_PAYLOAD_BYTES,
            description = "Largest result (bytes of reply) a task may return; a larger one fails the task with "
                    + "ResultTooLargeException. Default: ${DEFAULT-VALUE}")
    int maxResultBytes;

    @Override
    public Integer call() throws Exception {
        String workerId = id.id();
        int children = processes != null ? processes : Runtime.getRuntime().availableProcessors();
        WorkerConfig config = new WorkerConfig(
                redis.uri(),
                redis.prefix(),
                queues,
                children,
                maxTasksPerChild,
                prefetch != null ? prefetch : PREFETCH_PER_PROCESS * children,
                tasksDir,
                workerId,
                lease,
                resultTtl,
                grace,
                idleCheck,
                execAllow,
                childJvmOptions,
                maxPayloadBytes,
                maxResultBytes,
                authkey.authkey(),
                metrics.port(9464),
                metrics.host());
        io.forklift.daemon.Limits.between(
                "--max-processes", maxProcesses, 0, WorkerConfig.MAX_PROCESSES, "0 serves no Processes");
        return new WorkerDaemon(config, maxProcesses).run();
    }

    public static void main(String[] args) {
        System.exit(CommandErrors.commandLine(new WorkerCommand()).execute(args));
    }
}
