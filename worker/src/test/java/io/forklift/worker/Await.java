package io.forklift.worker;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition that has no event to wait on (a process exit, a log line, a Redis value), up to a deadline. */
final class Await {
    private static final Duration POLL = Duration.ofMillis(25);

    private Await() {}

    /** Returns once {@code condition} holds; fails the test with {@code what} and its last state after {@code timeout}. */
    static void until(Duration timeout, Supplier<String> what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) fail("not true within " + timeout + ": " + what.get());
            Thread.sleep(POLL.toMillis()); // polling interval, not synchronization
        }
    }

    static void until(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        until(timeout, () -> what, condition);
    }

    /** Waits until the file at {@code log} contains {@code text}. */
    static void logSays(Duration timeout, java.nio.file.Path log, String text) throws InterruptedException {
        until(timeout, () -> log + " says '" + text + "'", () -> {
            try {
                return java.nio.file.Files.readString(log).contains(text);
            } catch (java.io.IOException notYet) {
                return false;
            }
        });
    }
}
