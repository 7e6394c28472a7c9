package io.forklift.cli.bench;

import io.forklift.wire.Json;
import java.io.PrintStream;
import java.util.Map;

/** Prints the task bench's figures: a table for people on stderr, and with --json one line for programs. */
final class TaskFigures {
    private TaskFigures() {}

    static void print(PrintStream progress, Map<String, Object> figures, boolean json) throws Exception {
        progress.println();
        progress.printf("  redis                %s%n", figures.get("redis"));
        if (figures.containsKey("redis_server"))
            progress.printf("  redis-server         %s%n", figures.get("redis_server"));
        progress.printf(
                "  processes            %d children, pool cap %d%n", figures.get("processes"), figures.get("pool"));
        progress.printf(
                "  throughput           %,d tasks/s  (%,d no-op tasks, first submit to last callback)%n",
                figures.get("throughput_tasks_s"), figures.get("tasks"));
        if (figures.containsKey("warmup_tasks"))
            progress.printf(
                    "  warm-up throughput   %,d tasks/s  (the %,d tasks before those, while the JIT compilers worked;"
                            + " in the run they used %s µs of CPU per task)%n",
                    figures.get("warmup_throughput_tasks_s"),
                    figures.get("warmup_tasks"),
                    figures.get("jit_us_per_task"));
        if (figures.containsKey("floor_throughput_tasks_s"))
            progress.printf(
                    "  throughput floor     %,d tasks/s  (the same hops with no Forklift code: Redis lists, a relay"
                            + " thread per child, batches)%n",
                    figures.get("floor_throughput_tasks_s"));
        progress.printf(
                "  apply round trip     p50 %.3f ms   p99 %.3f ms%n", figures.get("p50_ms"), figures.get("p99_ms"));
        if (figures.containsKey("warmup_p50_ms"))
            progress.printf(
                    "  warm-up round trips  p50 %.3f ms   p99 %.3f ms  (the %,d calls before those, while the JIT"
                            + " recompiles their path after the throughput run)%n",
                    figures.get("warmup_p50_ms"), figures.get("warmup_p99_ms"), figures.get("warmup_round_trips"));
        if (figures.containsKey("floor_p50_ms"))
            progress.printf(
                    "  round-trip floor     p50 %.3f ms   p99 %.3f ms  (the same hops with no Forklift code, in turn with"
                            + " the above)%n",
                    figures.get("floor_p50_ms"), figures.get("floor_p99_ms"));
        progress.printf(
                "  CPU per task         children %s µs, worker %s µs, Redis %s µs, client %s µs; total %s µs%n",
                figures.get("cpu_us_per_task_children"),
                figures.get("cpu_us_per_task_worker"),
                figures.get("cpu_us_per_task_redis"),
                figures.get("cpu_us_per_task_client"),
                figures.get("cpu_us_per_task_total"));
        progress.printf(
                "  child start          %d ms (the newest child); all %d ready %d ms after the worker started them%n",
                figures.get("child_start_ms"), figures.get("processes"), figures.get("children_ready_ms"));
        progress.printf(
                "  worker start         %d ms from launching its JVM to all %d children ready (its class archive: %s)%n",
                figures.get("worker_ready_ms"), figures.get("processes"), figures.get("worker_class_archive"));
        progress.printf("  child RSS            %.1f MB%n", figures.get("child_rss_mb"));
        progress.printf(
                "  authkey              %s%n",
                figures.containsKey("signing_us_per_task")
                        ? "signed; sign + verify of a task and its reply: " + figures.get("signing_us_per_task")
                                + " µs per task"
                        : "unsigned (--no-authkey)");
        if (figures.containsKey("redis_used_before")) {
            progress.printf(
                    "  Redis used_memory    before %,d B   after the run %,d B   after results expired %,d B%n",
                    figures.get("redis_used_before"),
                    figures.get("redis_used_after_run"),
                    figures.get("redis_used_after_expiry"));
        }
        figures.forEach((k, v) -> { // --process's figures
            if (k.startsWith("process_")) progress.printf("  %-40s %s%n", k, v);
        });
        if (json) System.out.println(Json.MAPPER.writeValueAsString(figures));
    }
}
