package io.forklift.cli.bench;

import io.forklift.worker.child.Frames;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.util.KeyValue;

/**
 * The throughput run with no Forklift code on it: what this machine allows for no-op tasks through
 * Redis lists and child JVMs. The submitter pushes messages of a task's size in batches of
 * {@link #SUBMIT_BATCH} on a Redis list; one relay thread per child (the worker's part) pops up to
 * {@link #RELAY_BATCH} of them, writes each into its child's stdin, reads the child's answers and
 * pushes them in one call on a reply list, from which a reader pops them in batches, as the client's
 * reply thread does. No leases, fences, signatures, results or callbacks: the difference between
 * this and the bench's throughput is what those cost.
 */
final class ThroughputFloor implements AutoCloseable {
    static final int SUBMIT_BATCH = 100;
    static final int RELAY_BATCH = 16;
    private static final String MESSAGE = "x".repeat(300); // about a bench task's signed message

    private final String uri;
    private final String tasks;
    private final String replies;
    private final List<Process> children = new ArrayList<>();
    private final List<Thread> relays = new ArrayList<>();
    private final AtomicReference<Exception> relayFailure = new AtomicReference<>();
    private volatile boolean running = true;

    private ThroughputFloor(String uri, String prefix) {
        this.uri = uri;
        this.tasks = prefix + "floor:batch-tasks";
        this.replies = prefix + "floor:batch-replies";
    }

    /** Starts {@code processes} children, each with its relay thread. */
    static ThroughputFloor start(String uri, String prefix, int processes) throws IOException, InterruptedException {
        ThroughputFloor floor = new ThroughputFloor(uri, prefix);
        try {
            for (int i = 0; i < processes; i++) floor.addChild(i);
        } catch (IOException | RuntimeException e) {
            floor.close();
            throw e;
        }
        return floor;
    }

    /**
     * Starts a floor with {@code processes} children, warms it up, sends {@code n} messages through and
     * stops it: tasks per second, or 0, saying why on {@code progress} (the floor is a reference, not
     * the bench's subject).
     */
    static double measureOrZero(String uri, String prefix, int processes, int n, PrintStream progress)
            throws InterruptedException {
        progress.printf(
                "throughput floor: %,d messages through %d relays and children, no Forklift code …%n", n, processes);
        try (ThroughputFloor floor = start(uri, prefix, processes)) {
            floor.measure(Math.min(n, 20_000));
            return floor.measure(n);
        } catch (IOException | RuntimeException e) {
            progress.println("  the throughput floor is not measured: " + e.getMessage());
            return 0;
        }
    }

    List<Long> childPids() {
        return children.stream().map(Process::pid).toList();
    }

    private void addChild(int i) throws IOException {
        Process child = FloorChild.start();
        children.add(child);
        Thread relay = new Thread(() -> relay(child), "floor-batch-relay-" + i);
        relay.setDaemon(true);
        relays.add(relay);
        relay.start();
    }

    /**
     * Sends {@code n} messages through and waits for every answer, each compared with what was sent;
     * tasks per second from the first push to the last answer.
     */
    double measure(int n) {
        try (Jedis submitter = new Jedis(URI.create(uri));
                Jedis reader = new Jedis(URI.create(uri))) {
            long t0 = System.nanoTime();
            Thread submit = new Thread(() -> submit(submitter, n), "floor-submit");
            submit.setDaemon(true);
            submit.start();
            int answered = 0;
            while (answered < n) {
                KeyValue<String, List<String>> popped = reader.blmpop(30, ListDirection.LEFT, 1000, replies);
                if (popped == null) throw new IllegalStateException(stalled(answered, n));
                for (String answer : popped.getValue()) {
                    if (!MESSAGE.equals(answer))
                        throw new IllegalStateException(
                                "the throughput floor's relay answered something other than what was sent");
                }
                answered += popped.getValue().size();
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private String stalled(int answered, int n) {
        Exception cause = relayFailure.get();
        return "the throughput floor got " + answered + " of " + n + " answers, then none for 30 s"
                + (cause == null ? "" : ": a relay stopped with " + cause);
    }

    private void submit(Jedis submitter, int n) {
        String[] batch = new String[SUBMIT_BATCH];
        Arrays.fill(batch, MESSAGE);
        for (int sent = 0; sent < n; sent += SUBMIT_BATCH) {
            int k = Math.min(SUBMIT_BATCH, n - sent);
            submitter.rpush(tasks, k == SUBMIT_BATCH ? batch : Arrays.copyOf(batch, k));
        }
    }

    /** Pops up to {@link #RELAY_BATCH} messages, has the child echo each, pushes the answers in one call. */
    private void relay(Process child) {
        try (Jedis redis = new Jedis(URI.create(uri));
                DataOutputStream in = new DataOutputStream(new BufferedOutputStream(child.getOutputStream(), 1 << 16));
                // read as the worker reads its children: the JDK's process stream is buffered already
                DataInputStream out = new DataInputStream(child.getInputStream())) {
            while (running) {
                KeyValue<String, List<String>> popped = redis.blmpop(1, ListDirection.LEFT, RELAY_BATCH, tasks);
                if (popped == null) continue;
                for (String message : popped.getValue()) Frames.write(in, message.getBytes(StandardCharsets.UTF_8));
                String[] answers = new String[popped.getValue().size()];
                for (int i = 0; i < answers.length; i++) {
                    byte[] answer = Frames.read(out);
                    if (answer == null) throw new IOException("a throughput floor child ended");
                    answers[i] = new String(answer, StandardCharsets.UTF_8);
                }
                redis.rpush(replies, answers);
            }
        } catch (IOException | RuntimeException e) {
            if (running) relayFailure.set(e);
        }
    }

    /** Stops the relays, whose ends close their children's stdin, so the children exit. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread relay : relays) relay.join(TimeUnit.SECONDS.toMillis(5));
        try (Jedis redis = new Jedis(URI.create(uri))) {
            redis.del(tasks, replies);
        } catch (RuntimeException redisGone) {
            // the children go all the same
        }
        for (Process child : children) {
            if (!child.waitFor(5, TimeUnit.SECONDS)) child.destroyForcibly().waitFor();
        }
    }
}
