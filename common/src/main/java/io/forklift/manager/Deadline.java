package io.forklift.manager;

import io.forklift.redis.Waits;
import java.time.Duration;

/** When a blocking call gives up, on the monotonic clock; {@code forever} never does. Waits are cut into blocks of at most {@link Waits#MAX_BLOCK}. */
final class Deadline {
    private final long end;
    private final boolean forever;

    private Deadline(long end, boolean forever) {
        this.end = end;
        this.forever = forever;
    }

    static Deadline after(Duration timeout) {
        if (timeout.isNegative()) throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        return new Deadline(System.nanoTime() + timeout.toNanos(), false);
    }

    static Deadline forever() {
        return new Deadline(0, true);
    }

    boolean expired() {
        return !forever && end - System.nanoTime() <= 0;
    }

    /** The next block: what is left, at most {@link Waits#MAX_BLOCK}. */
    Duration block() {
        if (forever) return Waits.MAX_BLOCK;
        long left = Math.max(0, end - System.nanoTime());
        return left > Waits.MAX_BLOCK.toNanos() ? Waits.MAX_BLOCK : Duration.ofNanos(left);
    }

    /** Throws if the thread was interrupted: checked between blocks, since a block itself cannot be. */
    static void checkInterrupt() throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
    }
}
