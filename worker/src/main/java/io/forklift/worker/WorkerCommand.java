package io.forklift.worker;

import io.forklift.ForkliftOptions;
import io.forklift.daemon.CommandErrors;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code forklift worker}: runs a worker daemon. Also runnable on its own through {@link #main}. */
@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        description = "Run a worker daemon: claim tasks from the queues and run them in child processes.")
public final class WorkerCommand implements Callable<Integer> {
    @Option(
            names = "--redis",
            defaultValue = "${env:FORKLIFT_REDIS:-redis://127.0.0.1:6379}",
            description =
                    "Redis URI (redis://[user:password@]host:port[/db], rediss:// for TLS). Default: ${DEFAULT-VALUE}")
    String redis;

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
                    + "without a Redis round trip; 0 leases only what the children can run. Default: --processes")
    Integer prefetch;

    @Option(names = "--tasks", description = "Folder of task jars added to the children's class path")
    Path tasksDir;

    @Option(
            names = "--prefix",
            defaultValue = ForkliftOptions.DEFAULT_PREFIX,
            description = "Key prefix of the cluster. Default: ${DEFAULT-VALUE}")
    String prefix;

    @Option(names = "--id", description = "Worker id. Default: host-pid")
    String id;

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
            description = "A command line the built-in io.forklift.Exec task may run, e.g. "
                    + "'python3 /opt/crawl.py'; repeat for more. None by default.")
    List<String> execAllow = new java.util.ArrayList<>();

    @Option(
            names = "--child-jvm-options",
            split = " ",
            defaultValue = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -XX:+ExitOnOutOfMemoryError",
            description = "JVM options of each child, space-separated. Default: ${DEFAULT-VALUE}")
    List<String> childJvmOptions;

    @Option(
            names = "--max-payload",
            defaultValue = "" + ForkliftOptions.DEFAULT_MAX_PAYLOAD_BYTES,
            description = "Largest task message (bytes) this worker reads; a larger one is dead-lettered as too_large "
                    + "without being read. Default: ${DEFAULT-VALUE}, as the client's maxPayloadBytes")
    int maxPayloadBytes;

    @Option(
            names = "--metrics-port",
            defaultValue = "${env:FORKLIFT_METRICS_PORT:-9464}",
            description =
                    "Port of the Prometheus endpoint /metrics; 0 = any free port, -1 = none. Default: ${DEFAULT-VALUE}")
    int metricsPort;

    @Override
    public Integer call() throws Exception {
        String workerId = id != null
                ? id
                : InetAddress.getLocalHost().getHostName() + "-"
                        + ProcessHandle.current().pid();
        int children = processes != null ? processes : Runtime.getRuntime().availableProcessors();
        WorkerConfig config = new WorkerConfig(
                redis,
                prefix,
                queues,
                children,
                maxTasksPerChild,
                prefetch != null ? prefetch : children,
                tasksDir,
                workerId,
                lease,
                resultTtl,
                grace,
                idleCheck,
                execAllow,
                childJvmOptions,
                maxPayloadBytes,
                metricsPort);
        return new WorkerDaemon(config).run();
    }

    public static void main(String[] args) {
        System.exit(CommandErrors.commandLine(new WorkerCommand()).execute(args));
    }
}
