package io.forklift.examples.tickets;

import io.forklift.AsyncResult;
import io.forklift.Forklift;
import io.forklift.Pool;
import io.forklift.examples.tutorial.Tutorial;
import io.forklift.manager.Manager;
import io.forklift.manager.SharedLock;
import io.forklift.manager.SharedQueue;
import io.forklift.manager.SharedValue;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The tutorials' ticket sale: 100 buyers, run as tasks on queue {@code tutorial}, buy from 20
 * tickets kept in a shared Value. With the lock exactly 20 are sold; without it ({@code noLock})
 * buyers running at once sell the same ticket, and the oversell is counted. With {@code pause},
 * one buyer is stopped with SIGSTOP while it holds the lock, for longer than the lock's lease, then
 * resumed: the lock has gone to the next buyer meanwhile, and the stopped buyer's late write is
 * refused by its fence, so still exactly 20 are sold. Run it with {@code forklift local --demo tickets}.
 */
public final class Tickets {
    public static final int BUYERS = 100;
    public static final int TICKETS = 20;
    /** The lock's lease: a stopped holder loses the lock this long after its last renewal. */
    public static final Duration LEASE = Duration.ofSeconds(3);

    private static final int PAUSED_BUYER = 7;
    private static final Duration WAIT = Duration.ofMinutes(2);

    /** What the sale came to, for a test to check. */
    public record Results(int sold, int soldOut, int oversold, int refusedWrites, int ticketsLeft, long pausedPid) {}

    private Tickets() {}

    /** {@code fl} should have a Redis timeout of at most a third of {@link #LEASE}, as the lock requires. */
    public static Results run(Forklift fl, PrintStream out, boolean lock, boolean pause) throws Exception {
        Manager m = fl.manager("tickets");
        m.clear(); // a fresh sale each run
        SharedValue<Integer> tickets = m.value("tickets", TICKETS);
        SharedLock l = lock ? m.lock("sale", LEASE) : null;
        SharedQueue<Long> paused = m.queue("paused", 0, Long.class);
        out.printf(
                "%d buyers, %d tickets, %s%s%n",
                BUYERS,
                TICKETS,
                lock ? "with a Lock (lease " + LEASE.toSeconds() + " s)" : "without a lock",
                pause ? "; buyer " + PAUSED_BUYER + " is stopped with SIGSTOP while it holds the lock" : "");
        Thread stopper = pause ? stopper(paused, out) : null;
        List<AsyncResult<Buyer.Purchase>> results = new ArrayList<>();
        try (Pool pool = fl.pool(Tutorial.QUEUE, 4)) {
            for (int i = 1; i <= BUYERS; i++) {
                Buyer.Args args = new Buyer.Args(i, tickets, l, 20, pause ? PAUSED_BUYER : 0, paused);
                results.add(pool.applyAsync(Buyer.class, args, p -> print(out, p), e -> out.println("failed: " + e)));
            }
            int sold = 0;
            int refused = 0;
            for (AsyncResult<Buyer.Purchase> r : results) {
                Buyer.Purchase p = r.get(WAIT);
                if (p.bought()) sold++;
                refused += p.refused();
            }
            long pid = 0;
            if (stopper != null) {
                stopper.join(WAIT.toMillis());
                pid = pausedPid;
            }
            int left = tickets.get();
            out.printf(
                    "%nSold %d of %d tickets; %d buyers told sold out; oversold %d; fenced writes refused %d; "
                            + "the Value says %d left%n",
                    sold, TICKETS, BUYERS - sold, Math.max(0, sold - TICKETS), refused, left);
            return new Results(sold, BUYERS - sold, Math.max(0, sold - TICKETS), refused, left, pid);
        }
    }

    private static void print(PrintStream out, Buyer.Purchase p) {
        String refused = p.refused() > 0 ? " (its first write was refused: its fence was stale)" : "";
        if (p.bought()) {
            out.printf("Buyer %3d bought a ticket, %2d left%s%n", p.buyer(), p.left(), refused);
        } else {
            out.printf("Buyer %3d: sold out%s%n", p.buyer(), refused);
        }
    }

    private static volatile long pausedPid;

    /** Stops the buyer that reports its pid for lease + 2 s, then resumes it. */
    private static Thread stopper(SharedQueue<Long> paused, PrintStream out) {
        Thread t = new Thread(
                () -> {
                    try {
                        long pid = paused.get(WAIT);
                        pausedPid = pid;
                        signal("STOP", pid);
                        long stopped = System.nanoTime();
                        out.printf("  [SIGSTOP to buyer %d, pid %d, while it holds the lock]%n", PAUSED_BUYER, pid);
                        Thread.sleep(LEASE.plusSeconds(2).toMillis());
                        signal("CONT", pid);
                        out.printf(
                                "  [SIGCONT to pid %d after %.1f s]%n",
                                pid, (System.nanoTime() - stopped) / (double) TimeUnit.SECONDS.toNanos(1));
                    } catch (Exception e) {
                        out.println("  [could not pause the buyer: " + e + "]");
                    }
                },
                "tickets-stopper");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void signal(String signal, long pid) throws Exception {
        int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                .inheritIO()
                .start()
                .waitFor();
        if (exit != 0) throw new IllegalStateException("kill -" + signal + " " + pid + " exited " + exit);
    }
}
