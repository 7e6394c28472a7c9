package io.forklift.redis;

/**
 * Whether a loop is in a Redis outage and since when, so it logs the outage once when it begins and
 * its length once when it ends, not on every retry. One per loop thread; not thread-safe.
 */
public final class Outage {
    private long startedNanos;
    private boolean on;

    /** A call failed: true when this failure begins an outage (log it now). */
    public boolean begins() {
        if (on) return false;
        on = true;
        startedNanos = System.nanoTime();
        return true;
    }

    /** A call succeeded: how long the outage it ends lasted, in ms, or -1 when there was none. */
    public long endsAfterMillis() {
        if (!on) return -1;
        on = false;
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
