package io.forklift.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.manager.SharedEvent;
import io.forklift.manager.SharedQueue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The calls of queues, joinable queues and events, named as Python names them ({@code put},
 * {@code get_nowait}, {@code task_done}, {@code is_set}…). A queue's {@code get} takes the value for
 * this caller alone, as {@code Queue.get} does; a timeout is a 409 {@code empty} or {@code full}.
 * The calls that wait are parked ({@link ParkedCall}): a get on the queue's items, a put on its room
 * flag (one caller let through per readiness), a join on its done flag and an event wait on its set
 * flag (every caller let through); each retries the call's {@code _nowait} form when woken.
 */
final class QueueOps {
    private QueueOps() {}

    static Map<String, ObjectOp> queue(boolean joinable) {
        Map<String, ObjectOp> ops = new LinkedHashMap<>();
        ops.put("put", ObjectOp.parked(true, (m, n, b, w) -> put(q(m, n, joinable), b, w)));
        ops.put("put_nowait", ObjectOp.write((m, n, b) -> putNow(q(m, n, joinable), value(b))));
        ops.put("get", ObjectOp.parked(true, (m, n, b, w) -> get(q(m, n, joinable), b, w)));
        ops.put("get_nowait", ObjectOp.write((m, n, b) -> got(q(m, n, joinable).getNowait())));
        ops.put("qsize", ObjectOp.read((m, n, b) -> size(q(m, n, joinable))));
        if (joinable) {
            ops.put("task_done", ObjectOp.write((m, n, b) -> {
                m.joinableQueue(n).taskDone();
                return Map.of();
            }));
            ops.put("join", ObjectOp.parked(false, (m, n, b, w) -> {
                m.joinableQueue(n); // a wrong kind or a deleted queue answers now, not after the wait
                String done = w.keys().done();
                return new ParkedCall.Wait(done, true, b.timeout(), last -> {
                    boolean finished = w.reads().llen(done) > 0;
                    return finished || last ? Map.of("done", finished) : null;
                });
            }));
        }
        return ops;
    }

    static Map<String, ObjectOp> event() {
        Map<String, ObjectOp> ops = new LinkedHashMap<>();
        ops.put("set", ObjectOp.write((m, n, b) -> {
            m.event(n).set();
            return Map.of("set", true);
        }));
        ops.put("clear", ObjectOp.write((m, n, b) -> {
            m.event(n).clear();
            return Map.of("set", false);
        }));
        ops.put("is_set", ObjectOp.read((m, n, b) -> Map.of("set", m.event(n).isSet())));
        ops.put("wait", ObjectOp.parked(false, (m, n, b, w) -> {
            SharedEvent e = m.event(n);
            return new ParkedCall.Wait(w.keys().flag(), true, b.timeout(), last -> {
                boolean set = e.isSet();
                return set || last ? Map.of("set", set) : null;
            });
        }));
        return ops;
    }

    /** The queue named {@code n}: an existing queue keeps its maxsize. */
    static SharedQueue<JsonNode> q(ObjectCache.Opener m, String n, boolean joinable) {
        return joinable ? m.joinableQueue(n) : m.queue(n);
    }

    static Map<String, Object> size(SharedQueue<JsonNode> q) {
        int size = q.qsize(), max = q.maxsize();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("qsize", size);
        out.put("maxsize", max);
        out.put("empty", size == 0);
        out.put("full", max > 0 && size >= max);
        return out;
    }

    private static ParkedCall.Wait put(SharedQueue<JsonNode> q, ObjectBody b, ObjectOp.Where w) {
        JsonNode value = value(b);
        Duration wait = b.bool("block", true) ? b.timeout() : Duration.ZERO;
        // offer() is one put_nowait that answers false when full; the last try throws Full (409 full)
        return new ParkedCall.Wait(
                w.keys().room(), false, wait, last -> last ? putNow(q, value) : q.offer(value) ? Map.of() : null);
    }

    private static ParkedCall.Wait get(SharedQueue<JsonNode> q, ObjectBody b, ObjectOp.Where w) {
        Duration wait = b.bool("block", true) ? b.timeout() : Duration.ZERO;
        // poll() is one get_nowait (take, then acknowledge; an empty take is one round trip that leaves
        // nothing behind) answering null when empty; the last try throws Empty
        return new ParkedCall.Wait(w.keys().items(), false, wait, last -> {
            JsonNode v = last ? q.getNowait() : q.poll();
            return v == null ? null : got(v);
        });
    }

    private static JsonNode value(ObjectBody b) {
        JsonNode value = b.required("value");
        if (value.isNull())
            throw ApiException.badRequest("a queue holds no null (as a Java BlockingQueue); put a value");
        return value;
    }

    private static Object putNow(SharedQueue<JsonNode> q, JsonNode value) {
        q.putNowait(value);
        return Map.of();
    }

    private static Map<String, Object> got(JsonNode v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("value", v);
        return out;
    }
}
