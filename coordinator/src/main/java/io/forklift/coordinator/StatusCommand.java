package io.forklift.coordinator;

import io.forklift.daemon.options.RedisOptions;
import io.forklift.redis.Queues;
import io.forklift.redis.Redis;
import io.forklift.wire.Json;
import io.forklift.wire.WorkerHeartbeat;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code forklift status}: queue depths and live workers of a cluster. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show queue depths and live workers.")
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    RedisOptions redis;

    @Option(names = "--json", description = "Print the snapshot as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (Redis conn = redis.connect(1)) {
            ClusterStatus status = ClusterStatus.read(conn);
            PrintStream out = System.out;
            if (json) {
                out.println(Json.MAPPER.writeValueAsString(status));
                return 0;
            }
            out.printf(
                    "%-24s %10s %10s %10s %10s %11s%n", "QUEUE", "READY", "DELAYED", "LEASED", "DEAD", "MAX-RUNNING");
            for (Queues.Depth q : status.queues()) {
                out.printf(
                        "%-24s %10d %10d %10d %10d %11s%n",
                        q.name(), q.ready(), q.delayed(), q.leased(), q.dead(), q.cap() == 0 ? "-" : q.cap());
            }
            out.println();
            out.printf(
                    "%-28s %-16s %8s %-16s %9s %5s %10s %8s%n",
                    "WORKER", "HOST", "PID", "QUEUES", "CHILDREN", "BUSY", "SUCCEEDED", "FAILED");
            for (WorkerHeartbeat w : status.workers()) {
                out.printf(
                        "%-28s %-16s %8d %-16s %9d %5d %10d %8d%n",
                        w.id(),
                        w.host(),
                        w.pid(),
                        String.join(",", w.queues()),
                        w.children().size(),
                        w.busy(),
                        w.tasksSucceeded(),
                        w.tasksFailed());
            }
            if (status.workers().isEmpty()) out.println("(no live workers)");
        }
        return 0;
    }
}
