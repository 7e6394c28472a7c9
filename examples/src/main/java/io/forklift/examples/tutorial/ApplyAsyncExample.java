package io.forklift.examples.tutorial;

import io.forklift.AsyncResult;
import io.forklift.Forklift;
import io.forklift.Pool;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Python's
 * <pre>
 * def f(x): return x * x, os.getpid()
 * def cb(result): print(result, "callback in", os.getpid())
 * with Pool(5) as p:
 *     results = [p.apply_async(f, (i,), callback=cb) for i in range(10)]
 *     for r in results: r.wait()
 * </pre>
 * The task runs in a child process on a worker; the callback runs here, in the submitting program.
 * Run it with {@code java … ApplyAsyncExample [redis-uri [prefix]]} while a worker serves queue {@code tutorial}.
 */
public final class ApplyAsyncExample {
    private ApplyAsyncExample() {}

    public static void run(Forklift fl, PrintStream out) throws InterruptedException {
        long here = ProcessHandle.current().pid();
        out.println("Pool(5), 10 x applyAsync: each callback prints its own pid beside the child's");
        try (Pool pool = fl.pool(Tutorial.QUEUE, 5)) {
            List<AsyncResult<SquareAndPid.Answer>> results = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                results.add(pool.applyAsync(
                        SquareAndPid.class,
                        i,
                        a -> out.printf(
                                "  f(%d) = %-3d ran in child pid %d on %s; callback in pid %d%n",
                                a.x(), a.square(), a.pid(), a.workerId(), here),
                        error -> out.println("  failed: " + error)));
            }
            for (AsyncResult<SquareAndPid.Answer> r : results) r.waitFor(Duration.ofSeconds(60));
        }
    }

    public static void main(String[] args) throws InterruptedException {
        try (Forklift fl = Tutorial.connect(args)) {
            run(fl, System.out);
        }
    }
}
