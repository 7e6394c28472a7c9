package io.forklift.examples.tickets;

import io.forklift.Task;
import io.forklift.TaskContext;
import io.forklift.manager.Held;
import io.forklift.manager.SharedLock;
import io.forklift.manager.SharedQueue;
import io.forklift.manager.SharedValue;
import io.forklift.manager.StaleFenceException;

/**
 * One buyer of the tutorial's ticket sale: read the tickets left, wait a moment, write back one
 * fewer. With the lock the read and the write happen while holding it, and the write carries the
 * hold's fence; without it, buyers running at once read the same count and several sell the same
 * ticket. The buyer named {@code pauseBuyer} tells the program its pid while holding the lock, so
 * the program can SIGSTOP it past the lock's lease: its late write is then refused by its fence, and
 * it queues again.
 */
public final class Buyer implements Task<Buyer.Args, Buyer.Purchase> {
    /** {@code lock} null: the sale without a lock; {@code paused} null: nobody is paused. */
    public record Args(
            int buyer,
            SharedValue<Integer> tickets,
            SharedLock lock,
            long momentMillis,
            int pauseBuyer,
            SharedQueue<Long> paused) {}

    /** {@code left}: the count this buyer wrote (-1: sold out); {@code refused}: its writes refused by their fence. */
    public record Purchase(int buyer, long pid, boolean bought, int left, int refused, long fence) {}

    @Override
    public Purchase call(Args a, TaskContext ctx) throws Exception {
        if (a.lock() == null) {
            int left = a.tickets().get();
            Thread.sleep(a.momentMillis());
            if (left <= 0) return new Purchase(a.buyer(), ctx.pid(), false, -1, 0, 0);
            a.tickets().set(left - 1);
            return new Purchase(a.buyer(), ctx.pid(), true, left - 1, 0, 0);
        }
        int refused = 0;
        while (true) {
            try (Held held = a.lock().hold()) {
                int left = a.tickets().get();
                if (a.buyer() == a.pauseBuyer() && refused == 0) {
                    a.paused().put(ctx.pid()); // the program stops this process here, past the lock's lease
                    Thread.sleep(2_000);
                } else {
                    Thread.sleep(a.momentMillis());
                }
                if (left <= 0)
                    return new Purchase(
                            a.buyer(),
                            ctx.pid(),
                            false,
                            -1,
                            refused,
                            held.fence().token());
                try {
                    a.tickets().set(left - 1, held.fence());
                    return new Purchase(
                            a.buyer(),
                            ctx.pid(),
                            true,
                            left - 1,
                            refused,
                            held.fence().token());
                } catch (StaleFenceException e) {
                    refused++; // another buyer has had the lock since: what this one read is stale
                    System.out.println("buyer " + a.buyer() + ": " + e.getMessage());
                }
            }
        }
    }
}
