package io.forklift.examples.tutorial;

import io.forklift.Forklift;
import io.forklift.Pool;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Python's {@code with Pool(4) as p: print(p.map(f, range(20)))}: the squares of 0..19, in order,
 * computed in chunks on the workers' children. Run it with
 * {@code java … MapExample [redis-uri [prefix]]} while a worker serves queue {@code tutorial}.
 */
public final class MapExample {
    private MapExample() {}

    public static List<Integer> run(Forklift fl, PrintStream out) throws InterruptedException {
        try (Pool pool = fl.pool(Tutorial.QUEUE, 4)) {
            List<Integer> squares =
                    pool.map(Square.class, IntStream.range(0, 20).boxed().toList());
            out.println("Pool(4).map(square, range(20)):");
            out.println("  " + squares);
            return squares;
        }
    }

    public static void main(String[] args) throws InterruptedException {
        try (Forklift fl = Tutorial.connect(args)) {
            run(fl, System.out);
        }
    }
}
