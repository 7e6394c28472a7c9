package io.forklift.worker.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;
import io.forklift.manager.QueueEmptyException;
import io.forklift.manager.SharedQueue;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Takes numbers from a shared queue until none comes for {@code idleMs}, appending "took N" to a
 * ledger file after each (and "pid P" first). Before each get it appends "get": a ledger that ends
 * in "get" belongs to a consumer killed inside a get, which may have taken one value it never got
 * to write down. Returns how many it took.
 */
public final class Consume implements Task<Consume.Args, Integer> {
    public record Args(SharedQueue<Integer> queue, int idleMs, String ledger) {}

    @Override
    public Integer call(Args a, TaskContext ctx) throws Exception {
        int n = 0;
        try (FileOutputStream ledger = new FileOutputStream(a.ledger(), true)) {
            ledger.write(("pid " + ctx.pid() + "\n").getBytes(StandardCharsets.UTF_8));
            while (true) {
                ledger.write("get\n".getBytes(StandardCharsets.UTF_8));
                int v;
                try {
                    v = a.queue().get(Duration.ofMillis(a.idleMs()));
                } catch (QueueEmptyException idle) {
                    return n;
                }
                ledger.write(("took " + v + "\n").getBytes(StandardCharsets.UTF_8));
                n++;
            }
        }
    }
}
