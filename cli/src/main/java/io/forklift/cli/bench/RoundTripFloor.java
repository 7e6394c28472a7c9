package io.forklift.cli.bench;

import io.forklift.worker.child.Frames;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import redis.clients.jedis.Jedis;

/**
 * The round trip an {@code apply} makes, with no Forklift code on it: what this machine allows. The
 * caller pushes a message of a task's size on a Redis list and blocks on a reply list; a relay thread
 * (the worker's part) blocked on the first list writes it into a child JVM's stdin, reads the child's
 * answer from its stdout and pushes it on the reply list. The same hops as {@code apply}: caller to
 * Redis, Redis to a blocked reader, a pipe to a child and back, Redis to the blocked caller. What
 * Forklift adds (scripts, leases, signatures, its threads' hand-offs) is the difference between the two.
 */
final class RoundTripFloor implements AutoCloseable {
    /** About a bench task's message, signed. */
    private static final String MESSAGE = "x".repeat(300);

    private final Jedis caller;
    private final Jedis relay;
    private final Process child;
    private final String tasks;
    private final String replies;
    private final Thread relayThread;
    private volatile boolean running = true;

    private RoundTripFloor(String uri, String prefix) throws IOException {
        caller = new Jedis(URI.create(uri));
        relay = new Jedis(URI.create(uri));
        tasks = prefix + "floor:tasks";
        replies = prefix + "floor:replies";
        child = FloorChild.start();
        relayThread = new Thread(this::relay, "floor-relay");
        relayThread.setDaemon(true);
        relayThread.start();
    }

    /** Starts the relay and its child and warms them up. */
    static RoundTripFloor start(String uri, String prefix) throws IOException, InterruptedException {
        RoundTripFloor floor = new RoundTripFloor(uri, prefix);
        try {
            floor.measure(new Histogram(60_000_000L, 3), 500);
        } catch (RuntimeException e) {
            floor.close();
            throw e;
        }
        return floor;
    }

    /** As {@link #start}, or null, saying why on {@code progress}: the floor is a reference, not the bench's subject. */
    static RoundTripFloor startOrNull(String uri, String prefix, PrintStream progress) throws InterruptedException {
        try {
            return start(uri, prefix);
        } catch (IOException | RuntimeException e) {
            progress.println("  the round-trip floor is not measured: " + e.getMessage());
            return null;
        }
    }

    long childPid() {
        return child.pid();
    }

    /** Makes {@code n} round trips one after the other, recording each in microseconds. */
    void measure(Histogram into, int n) {
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            caller.rpush(tasks, MESSAGE);
            List<String> reply = caller.blpop(30, replies);
            if (reply == null) throw new IllegalStateException("the floor's relay did not answer within 30 s");
            if (!MESSAGE.equals(reply.get(1)))
                throw new IllegalStateException("the floor's relay answered something other than what was sent");
            into.recordValue((System.nanoTime() - t0) / 1000);
        }
    }

    private void relay() {
        try (DataOutputStream in = new DataOutputStream(child.getOutputStream());
                DataInputStream out = new DataInputStream(child.getInputStream())) {
            while (running) {
                List<String> task = relay.blpop(0, tasks);
                if (!running) return;
                Frames.write(in, task.get(1).getBytes(StandardCharsets.UTF_8));
                byte[] answer = Frames.read(out);
                if (answer == null) throw new IOException("the floor's child ended");
                relay.rpush(replies, new String(answer, StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            if (running) System.err.println("the floor's relay stopped: " + e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        try {
            caller.rpush(tasks, "stop"); // wakes the relay, which sees running false
            relayThread.join(TimeUnit.SECONDS.toMillis(5));
            caller.del(tasks, replies);
        } catch (RuntimeException redisGone) {
            // the child goes all the same
        } finally {
            caller.close();
            relay.close();
            if (!child.waitFor(5, TimeUnit.SECONDS)) child.destroyForcibly().waitFor();
        }
    }
}
