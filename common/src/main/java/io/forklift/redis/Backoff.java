package io.forklift.redis;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with "equal jitter", for reconnect loops: each {@link #pause()} waits a
 * random time between half the current step and the step, then doubles the step up to the cap;
 * {@link #reset()} after a success. Not thread-safe: one per loop.
 */
public final class Backoff {
    private final long firstNanos;
    private final long capNanos;
    private long stepNanos;

    public Backoff(Duration first, Duration cap) {
        if (first.toMillis() < 1 || cap.compareTo(first) < 0) {
            throw new IllegalArgumentException(
                    "backoff needs 1 ms <= first <= cap, got first " + first + ", cap " + cap);
        }
        this.firstNanos = first.toNanos();
        this.capNanos = cap.toNanos();
        this.stepNanos = firstNanos;
    }

    /** The next wait, without waiting: between half the step and the step. */
    public Duration next() {
        long wait = stepNanos / 2 + ThreadLocalRandom.current().nextLong(stepNanos / 2 + 1);
        stepNanos = Math.min(capNanos, stepNanos * 2);
        return Duration.ofNanos(wait);
    }

    /** Waits the next step; false (with the interrupt flag restored) if interrupted. */
    public boolean pause() {
        try {
            Thread.sleep(next().toMillis()); // a backoff is a deliberate wait
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public void reset() {
        stepNanos = firstNanos;
    }
}
