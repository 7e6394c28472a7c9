package io.forklift.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting on Redis nodes that act on their own timers (gossip, Sentinel), and picking free ports for them. */
final class Poll {
    private Poll() {}

    /** Checks every 100 ms until {@code check} holds; a check that throws counts as not yet (a node still starting). */
    static void until(String what, Duration timeout, BooleanSupplier check) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (check.getAsBoolean()) return;
            } catch (RuntimeException e) {
                last = e;
            }
            Thread.sleep(100); // the nodes change on their own schedule: there is no event to wait on
        }
        throw new IllegalStateException("waited " + timeout.toSeconds() + " s for " + what
                + (last == null ? "" : " (last error: " + last.getMessage() + ")"));
    }

    /** A port free on loopback now. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
