package io.forklift.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.manager.SharedEvent;
import io.forklift.manager.SharedQueue;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The calls of queues, joinable queues and events, named as Python names them ({@code put},
 * {@code get_nowait}, {@code task_done}, {@code is_set}…). A queue's {@code get} takes the value for
 * this caller alone, as {@code Queue.get} does; a timeout is a 409 {@code empty} or {@code full}.
 */
final class QueueOps {
    private QueueOps() {}

    static Map<String, ObjectOp> queue(boolean joinable) {
        Map<String, ObjectOp> ops = new LinkedHashMap<>();
        ops.put("put", ObjectOp.blocking(true, (m, n, b) -> put(q(m, n, joinable), b, b.bool("block", true))));
        ops.put("put_nowait", ObjectOp.write((m, n, b) -> put(q(m, n, joinable), b, false)));
        ops.put("get", ObjectOp.blocking(true, (m, n, b) -> get(q(m, n, joinable), b, b.bool("block", true))));
        ops.put("get_nowait", ObjectOp.write((m, n, b) -> get(q(m, n, joinable), b, false)));
        ops.put("qsize", ObjectOp.read((m, n, b) -> size(q(m, n, joinable))));
        if (joinable) {
            ops.put("task_done", ObjectOp.write((m, n, b) -> {
                m.joinableQueue(n).taskDone();
                return Map.of();
            }));
            ops.put(
                    "join",
                    ObjectOp.blocking(
                            false,
                            (m, n, b) -> Map.of("done", m.joinableQueue(n).join(b.timeout()))));
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
        ops.put("wait", ObjectOp.blocking(false, (m, n, b) -> {
            SharedEvent e = m.event(n);
            return Map.of("set", e.waitFor(b.timeout()));
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

    private static Object put(SharedQueue<JsonNode> q, ObjectBody b, boolean block) throws InterruptedException {
        JsonNode value = b.required("value");
        if (value.isNull())
            throw ApiException.badRequest("a queue holds no null (as a Java BlockingQueue); put a value");
        if (block) q.put(value, b.timeout());
        else q.putNowait(value);
        return Map.of();
    }

    private static Object get(SharedQueue<JsonNode> q, ObjectBody b, boolean block) throws InterruptedException {
        JsonNode v = block ? q.get(b.timeout()) : q.getNowait();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("value", v);
        return out;
    }
}
