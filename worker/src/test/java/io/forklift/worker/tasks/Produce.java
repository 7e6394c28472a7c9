package io.forklift.worker.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;
import io.forklift.manager.SharedQueue;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Puts {@code count} numbers from {@code first} into a shared queue, pausing {@code pauseMs} after
 * each; appends "put N" to a ledger file after each put returned (and "pid P" first, so a test can
 * kill this task's child). Returns how many it put.
 */
public final class Produce implements Task<Produce.Args, Integer> {
    public record Args(SharedQueue<Integer> queue, int first, int count, int pauseMs, String ledger) {}

    @Override
    public Integer call(Args a, TaskContext ctx) throws Exception {
        try (FileOutputStream ledger = new FileOutputStream(a.ledger(), true)) {
            ledger.write(("pid " + ctx.pid() + "\n").getBytes(StandardCharsets.UTF_8));
            for (int i = a.first(); i < a.first() + a.count(); i++) {
                a.queue().put(i);
                ledger.write(("put " + i + "\n").getBytes(StandardCharsets.UTF_8));
                if (a.pauseMs() > 0) Thread.sleep(a.pauseMs());
            }
        }
        return a.count();
    }
}
