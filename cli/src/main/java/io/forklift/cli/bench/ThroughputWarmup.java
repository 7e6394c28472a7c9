package io.forklift.cli.bench;

import io.forklift.Pool;
import java.io.PrintStream;
import java.util.List;

/**
 * Throughput rounds before the measured run, until the JIT compilers of the worker, its children and
 * the client go quiet, so the run measures the steady state of a worker that has been up a while. A
 * fixed 20,000 tasks left them compiling through most of the run: their compiler threads used ~0.5–1 s
 * of CPU per second of it, on a machine of two cores (LogCompilation, async-profiler). The rounds'
 * throughput and their compilers' CPU are printed and reported apart.
 */
final class ThroughputWarmup {
    static final int ROUND = 20_000;
    /** Compiler CPU per task, all JVMs together, under which a round is quiet: ~2 % of a task's CPU here. */
    static final double QUIET_MICROS_PER_TASK = 2.0;
    /** Quiet rounds in a row that end the warm-up: methods reach the compilers' thresholds in waves. */
    static final int QUIET_ROUNDS = 2;

    /** What the warm-up did: the tasks it ran and their throughput, first submit to last callback. */
    record Result(int tasks, double tasksPerSecond) {}

    private ThroughputWarmup() {}

    /** Runs rounds until the last {@link #QUIET_ROUNDS} were quiet, or {@code maxTasks} ran. */
    static Result run(Pool pool, long workerPid, List<Long> children, int maxTasks, PrintStream progress)
            throws InterruptedException {
        CompilerCpu.Sampler compilers = new CompilerCpu.Sampler(workerPid, children);
        int tasks = 0;
        int quiet = 0;
        double seconds = 0;
        while (tasks < maxTasks && quiet < QUIET_ROUNDS) {
            int n = Math.min(ROUND, maxTasks - tasks);
            double perSecond = PoolRuns.throughput(pool, n);
            seconds += n / perSecond;
            tasks += n;
            CompilerCpu.Spent spent = compilers.sinceLast();
            if (spent == null) continue; // no /proc: the whole budget
            double perTask = spent.totalMillis() * 1000.0 / n;
            progress.printf(
                    "  %,d tasks, %,.0f/s; JIT compilers over the last %,d: worker %d ms, children %d ms, client %d ms"
                            + " (%.1f µs per task)%n",
                    tasks, perSecond, n, spent.worker(), spent.children(), spent.client(), perTask);
            quiet = perTask <= QUIET_MICROS_PER_TASK ? quiet + 1 : 0;
        }
        return new Result(tasks, tasks / seconds);
    }
}
