package io.forklift.cli.bench;

import io.forklift.wire.Authkey;

/**
 * What the authkey costs one task, measured in this JVM alone: sign and verify a task message and its
 * reply, the four HMAC operations every signed task goes through. CPU only, so it holds on a shared
 * machine where the end-to-end signed/unsigned ratio drowns in noise.
 */
final class SigningCost {
    private static final int ROUNDS = 50_000;

    private SigningCost() {}

    /** Microseconds of signing work per task, for a task message of {@code messageBytes} bytes. */
    static double microsPerTask(Authkey authkey, int messageBytes) {
        String message = "m".repeat(messageBytes);
        String reply = "r".repeat(Math.max(16, messageBytes / 2));
        long expires = System.currentTimeMillis() + 86_400_000L;
        long sink = oneTask(authkey, message, reply, expires, ROUNDS); // warm-up: let the JIT compile it
        long start = System.nanoTime();
        sink += oneTask(authkey, message, reply, expires, ROUNDS);
        long elapsed = System.nanoTime() - start;
        if (sink == 42) System.out.print(""); // keeps the work observable
        return elapsed / 1000.0 / ROUNDS;
    }

    private static long oneTask(Authkey authkey, String message, String reply, long expires, int rounds) {
        long now = System.currentTimeMillis();
        long sink = 0;
        for (int i = 0; i < rounds; i++) {
            String task = authkey.sign(Authkey.TASK, "bench", expires, message);
            sink += authkey.verify(Authkey.TASK, "bench", task, now).payload().length();
            String answer = authkey.sign(Authkey.REPLY, "client-1", expires, reply);
            sink += authkey.verify(Authkey.REPLY, "client-1", answer, now)
                    .payload()
                    .length();
        }
        return sink;
    }
}
