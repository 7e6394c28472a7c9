package io.forklift.coordinator.http;

import io.forklift.redis.Processes;
import io.forklift.redis.Redis;
import io.forklift.redis.Waits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The two waits of a Process over HTTP. A join is parked ({@link Parking}) on the Process's exit
 * list, which its end fills, and holds no thread while it waits. Its lines are read from its
 * starter's output stream with XREAD BLOCK on a waiter thread ({@link ObjectWaiters}, so within the
 * Manager's limit of blocking calls) and on the {@link Waits} pool, each wait ended at its own
 * deadline; that stream is left as it is (an HTTP reader trims nothing), capped and expiring as
 * {@link Processes} keeps it.
 */
final class ProcessWaits {
    /** The most lines one answer carries; a caller asks again from its {@code next}. */
    static final int MAX_LINES = 1000;

    private final Processes processes;
    private final Redis redis;
    private final Waits waits;
    private final ObjectWaiters waiters;
    private final Parking parking;

    /** {@code waits} blocks on a pool of its own, sized for the waiters; {@code redis} reads the registry. */
    ProcessWaits(Redis redis, Waits waits, ObjectWaiters waiters, Parking parking) {
        this.processes = new Processes(redis);
        this.redis = redis;
        this.waits = waits;
        this.waiters = waiters;
        this.parking = parking;
    }

    /** Runs a wait (the lines') on a waiter thread; a 503 at once when all are busy. */
    void run(Exchange ex, ObjectRoutes.Checked<Object> call) {
        ex.request().addIdleTimeoutListener(idle -> false); // the wait ends it, not the idle timeout
        waiters.run(ex, call);
    }

    /**
     * Answers {@code ex} with {@code view} of the registry entry once the Process has ended, or as
     * it is when {@code timeout} has passed: parked on its exit list, which process_end.lua names on
     * the ready channel, so a join holds no thread and no connection while it waits.
     */
    void join(Exchange ex, String id, Duration timeout, Function<Map<String, String>, Object> view) {
        parking.start(ex, new ParkedCall.Wait(redis.keys().processExit(id), true, timeout, last -> {
            Map<String, String> e = processes.read(id);
            if (e.isEmpty()) throw ApiException.notFound("no process " + id + " (expired while joined)");
            return e.containsKey("exitCode") || last ? view.apply(e) : null;
        }));
    }

    /**
     * Lines Process {@code id} printed after stream id {@code after}, waiting up to {@code wait} for
     * the first; {@code next} is where to read on, {@code ended} says its last line has come.
     */
    Map<String, Object> lines(String id, String client, String after, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        List<Map<String, String>> lines = new ArrayList<>();
        boolean ended = false;
        String next = after;
        while (true) {
            long left = Math.max(0, deadline - System.nanoTime());
            // at least 1 ms: XREAD BLOCK 0 would wait for ever; a caller that does not wait reads what is there
            Duration now = Duration.ofMillis(Math.max(1, Math.min(left, Waits.MAX_BLOCK.toNanos()) / 1_000_000));
            List<Processes.Printed> got = processes.readOutput(waits, client, next, MAX_LINES, now);
            for (Processes.Printed p : got) {
                next = p.streamId();
                Processes.Line line = p.line();
                if (!id.equals(line.processId())) continue; // another Process of the same starter
                if ("end".equals(line.kind())) ended = true;
                else lines.add(Map.of("stream", "e".equals(line.kind()) ? "stderr" : "stdout", "text", line.text()));
            }
            if (!lines.isEmpty() || ended || left == 0 || got.size() == MAX_LINES) break;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("lines", lines);
        out.put("next", next);
        out.put("ended", ended);
        return out;
    }
}
