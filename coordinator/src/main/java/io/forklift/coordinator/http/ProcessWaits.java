package io.forklift.coordinator.http;

import io.forklift.redis.Processes;
import io.forklift.redis.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The two waits of a Process over HTTP, both parked ({@link Parking}), holding no thread and no
 * Redis connection while they wait. A join waits on the Process's exit list, which its end fills; a
 * read of its lines waits on its starter's output stream, which the worker names on the ready
 * channel in the round trip that appends the lines ({@link Processes#print}), and reads on from its
 * cursor with one XREAD (no BLOCK) each time it is woken. That stream is left as it is (an HTTP
 * reader trims nothing), capped and expiring as {@link Processes} keeps it.
 */
final class ProcessWaits {
    /** The most lines one answer carries; a caller asks again from its {@code next}. */
    static final int MAX_LINES = 1000;

    private final Processes processes;
    private final Redis redis;
    private final Parking parking;

    /** {@code redis} reads the registry and the output streams. */
    ProcessWaits(Redis redis, Parking parking) {
        this.processes = new Processes(redis);
        this.redis = redis;
        this.parking = parking;
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
     * Answers {@code ex} with the lines Process {@code id} printed after stream id {@code after},
     * waiting up to {@code wait} for the first; {@code next} is where to read on, {@code ended} says
     * its last line has come. Every reader of a stream is let through by a line (a read takes
     * nothing), and lines of the starter's other Processes only move the cursor on.
     */
    void lines(Exchange ex, String id, String client, String after, Duration wait) {
        String[] next = {after}; // tries never overlap
        parking.start(ex, new ParkedCall.Wait(redis.keys().processOutput(client), true, wait, last -> {
            List<Map<String, String>> lines = new ArrayList<>();
            boolean ended = false;
            List<Processes.Printed> got = processes.readOutput(client, next[0], MAX_LINES);
            for (Processes.Printed p : got) {
                next[0] = p.streamId();
                Processes.Line line = p.line();
                if (!id.equals(line.processId())) continue; // another Process of the same starter
                if ("end".equals(line.kind())) ended = true;
                else lines.add(Map.of("stream", "e".equals(line.kind()) ? "stderr" : "stdout", "text", line.text()));
            }
            if (lines.isEmpty() && !ended && !last && got.size() < MAX_LINES) return null;
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", id);
            out.put("lines", lines);
            out.put("next", next[0]);
            out.put("ended", ended);
            return out;
        }));
    }
}
