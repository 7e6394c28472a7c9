package io.forklift.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Duration FIRST = Duration.ofMillis(100);
    private static final Duration CAP = Duration.ofSeconds(3);

    /** next() lies in [step/2, step], the step doubling from FIRST to CAP and staying there. */
    @Test
    void waitsStayWithinTheStepWhichDoublesUpToTheCap() {
        for (int run = 0; run < 200; run++) {
            Backoff b = new Backoff(FIRST, CAP);
            long step = FIRST.toNanos();
            for (int i = 0; i < 12; i++) {
                long wait = b.next().toNanos();
                assertTrue(
                        wait >= step / 2 && wait <= step,
                        "wait " + wait + " outside [" + step / 2 + ", " + step + "] at " + i);
                assertTrue(wait <= CAP.toNanos(), "wait above cap: " + wait);
                step = Math.min(CAP.toNanos(), step * 2);
            }
        }
    }

    @Test
    void reachesTheCapAndJittersBelowIt() {
        Backoff b = new Backoff(FIRST, CAP);
        for (int i = 0; i < 10; i++) b.next(); // 100ms * 2^5 > 3s: now capped
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 500; i++) {
            long wait = b.next().toNanos();
            min = Math.min(min, wait);
            max = Math.max(max, wait);
        }
        assertTrue(max <= CAP.toNanos(), "above cap: " + max);
        assertTrue(min >= CAP.toNanos() / 2, "below half the cap: " + min);
        assertTrue(max > CAP.toNanos() * 9 / 10, "never near the cap: " + max);
        assertTrue(min < max, "no jitter");
    }

    @Test
    void resetReturnsToTheFirstStep() {
        Backoff b = new Backoff(FIRST, CAP);
        for (int i = 0; i < 8; i++) b.next();
        b.reset();
        long wait = b.next().toNanos();
        assertTrue(wait >= FIRST.toNanos() / 2 && wait <= FIRST.toNanos(), "after reset: " + wait);
        long second = b.next().toNanos();
        assertTrue(second <= FIRST.toNanos() * 2, "second step after reset: " + second);
    }

    @Test
    void pauseReportsAnInterruptAndKeepsTheFlag() {
        Backoff b = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(10));
        Thread.currentThread().interrupt();
        try {
            assertFalse(b.pause());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertEquals(false, Thread.currentThread().isInterrupted());
    }
}
