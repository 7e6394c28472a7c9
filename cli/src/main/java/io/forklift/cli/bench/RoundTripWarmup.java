package io.forklift.cli.bench;

import io.forklift.Pool;
import java.io.PrintStream;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Sequential {@code apply} calls before the latency run, until the worker's and the client's JIT
 * compilers go quiet. After the throughput run they recompile the round-trip path for several seconds,
 * using 30–70 % of a core; `perf sched` found their threads on the CPUs through most of the waits over
 * 1 ms that made the round trips' p99 (README, "Where a round trip's tail comes from"). The calls are
 * recorded apart, so both figures are printed.
 */
final class RoundTripWarmup {
    static final int ROUND = 1_000;
    /** Compiler CPU per round, both JVMs together, under which a round is quiet: ~2 % of its time. */
    static final long QUIET_MILLIS = 20;
    /** Quiet rounds in a row that end the warm-up: more methods reach the compilers' thresholds in waves. */
    static final int QUIET_ROUNDS = 2;
    /**
     * Calls before the warm-up may end: a method run once per call reaches C2's threshold
     * ({@code Tier4InvocationThreshold}, 5,000) only after 5,000 calls, and a wave of compiles came at
     * 4,000–6,000 calls even after quiet rounds.
     */
    static final int MIN_CALLS = 6_000;

    private RoundTripWarmup() {}

    /**
     * Runs rounds until {@link #MIN_CALLS} were made and the last {@link #QUIET_ROUNDS} were quiet, or
     * {@code maxCalls} were made; returns the calls made. Each round also runs {@code floor}'s calls, if
     * any, unrecorded: the floor runs in this JVM, in turn with the measured calls, and its code
     * compiling would otherwise spill into theirs.
     */
    static int run(Pool pool, Histogram into, RoundTripFloor floor, long workerPid, int maxCalls, PrintStream progress)
            throws InterruptedException {
        CompilerCpu.Sampler compilers = new CompilerCpu.Sampler(workerPid, List.of());
        int calls = 0;
        int quiet = 0;
        Histogram unrecorded = new Histogram(60_000_000L, 3);
        while (calls < maxCalls && (calls < MIN_CALLS || quiet < QUIET_ROUNDS)) {
            int n = Math.min(ROUND, maxCalls - calls);
            PoolRuns.roundTrips(pool, into, n);
            if (floor != null) floor.measure(unrecorded, n);
            calls += n;
            CompilerCpu.Spent spent = compilers.sinceLast();
            if (spent == null) continue; // no /proc: the whole budget
            progress.printf(
                    "  %,d calls; JIT compilers over the last %,d: worker %d ms, client %d ms%n",
                    calls, n, spent.worker(), spent.client());
            quiet = spent.totalMillis() <= QUIET_MILLIS ? quiet + 1 : 0;
        }
        return calls;
    }
}
