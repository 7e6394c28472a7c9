package io.forklift.examples.tutorial;

import io.forklift.Forklift;
import io.forklift.Pool;
import io.forklift.examples.ProgressBar;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Python's {@code for r in tqdm(p.imap_unordered(slow_square, range(40)), total=40): …}: results as
 * they finish, which is not the order submitted, with a progress bar on stderr. Run it with
 * {@code java … ImapUnorderedExample [redis-uri [prefix]]} while a worker serves queue {@code tutorial}.
 */
public final class ImapUnorderedExample {
    static final int N = 40;

    private ImapUnorderedExample() {}

    public static List<Integer> run(Forklift fl, PrintStream out, PrintStream progress) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        List<Integer> arrived = new ArrayList<>();
        try (Pool pool = fl.pool(Tutorial.QUEUE, 4);
                ProgressBar bar = new ProgressBar(progress, "tasks", done::get, () -> N)) {
            for (int square : pool.imapUnordered(
                    SlowSquare.class, IntStream.range(0, N).boxed().toList(), 1)) {
                arrived.add(square);
                done.incrementAndGet();
            }
        }
        out.println("Pool(4).imap_unordered(slow_square, range(" + N + ")), in the order they finished:");
        out.println("  " + arrived);
        return arrived;
    }

    public static void main(String[] args) throws InterruptedException {
        try (Forklift fl = Tutorial.connect(args)) {
            run(fl, System.out, System.err);
        }
    }
}
