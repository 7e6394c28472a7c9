package io.forklift.manager;

import io.forklift.Forklift;
import io.forklift.ForkliftOptions;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A lock holder in its own JVM, for {@link LockChaosIT}: until the stop file exists, it takes the
 * lock (waiting up to 60 s), reads a shared counter, holds the lock a while, writes the counter + 1
 * with its fence, and releases. Every step is appended to a ledger file outside Redis, each line
 * {@code <System.nanoTime()> <pid> <event> <fence> [detail]}; nanoTime is the machine's monotonic
 * clock, shared by every JVM on it, so lines of different processes compare.
 *
 * <p>Arguments: redis-uri prefix ledger stop-file hold-ms lease-ms
 */
public final class LockHolderMain {
    public static void main(String[] args) throws Exception {
        String uri = args[0];
        String prefix = args[1];
        Path stop = Path.of(args[3]);
        long holdMs = Long.parseLong(args[4]);
        Duration lease = Duration.ofMillis(Long.parseLong(args[5]));
        long pid = ProcessHandle.current().pid();
        try (PrintStream ledger = new PrintStream(new FileOutputStream(args[2], true), true, StandardCharsets.UTF_8);
                Forklift fl = Forklift.connect(
                        ForkliftOptions.of(uri).withPrefix(prefix).withTimeout(lease.dividedBy(3)))) {
            Manager m = fl.manager("chaos");
            SharedLock lock = m.lock("l", lease);
            SharedValue<Long> counter = m.value("counter", 0L);
            while (!Files.exists(stop)) {
                try {
                    round(ledger, pid, lock, counter, holdMs);
                } catch (RuntimeException e) {
                    // Redis down or restarting: the hold, if any, ends with its lease; try again shortly
                    log(ledger, pid, "error", 0, e.getClass().getSimpleName());
                    Thread.sleep(200);
                }
            }
        }
    }

    private static void round(PrintStream ledger, long pid, SharedLock lock, SharedValue<Long> counter, long holdMs)
            throws InterruptedException {
        if (!lock.acquire(Duration.ofSeconds(60))) {
            log(ledger, pid, "timeout", 0, "");
            return;
        }
        long fence = lock.fence().token();
        log(ledger, pid, "enter", fence, "");
        try {
            long seen = counter.get();
            Thread.sleep(holdMs); // a SIGSTOP lands here: the holder has read, not yet written
            try {
                counter.set(seen + 1, lock.fence());
                log(ledger, pid, "ack", fence, Long.toString(seen + 1));
            } catch (StaleFenceException e) {
                log(ledger, pid, "refused", fence, Long.toString(e.newest()));
            }
        } finally {
            log(ledger, pid, "exit", fence, "");
            boolean released = lock.release(); // throws while Redis is down: the hold then ends with its lease
            log(ledger, pid, released ? "released" : "lost", fence, "");
        }
    }

    private static void log(PrintStream ledger, long pid, String event, long fence, String detail) {
        ledger.println(System.nanoTime() + " " + pid + " " + event + " " + fence + " " + detail);
    }
}
