package io.forklift.coordinator.http;

import io.forklift.manager.ObjectKind;
import java.util.EnumMap;
import java.util.Map;

/**
 * Which kinds of Manager object the API serves, the calls of each ({@link ObjectOp}s by Python's
 * name), and the call that shows one for {@code GET}.
 */
final class ObjectKinds {
    private static final Map<ObjectKind, Map<String, ObjectOp>> OPS = new EnumMap<>(ObjectKind.class);
    private static final Map<ObjectKind, String> SHOW = new EnumMap<>(ObjectKind.class);

    static {
        serve(ObjectKind.QUEUE, QueueOps.queue(false), "qsize");
        serve(ObjectKind.JOINABLE, QueueOps.queue(true), "qsize");
        serve(ObjectKind.EVENT, QueueOps.event(), "is_set");
        serve(ObjectKind.DICT, DataOps.dict(), "items");
        serve(ObjectKind.LIST, DataOps.list(), "items");
        serve(ObjectKind.NAMESPACE, DataOps.namespace(), "items");
        serve(ObjectKind.VALUE, ValueOps.value(), "get");
        serve(ObjectKind.ARRAY, ValueOps.array(), "items");
        for (ObjectKind k :
                new ObjectKind[] {ObjectKind.LOCK, ObjectKind.RLOCK, ObjectKind.SEMAPHORE, ObjectKind.BOUNDED_SEMAPHORE
                }) {
            serve(k, LockOps.of(k), "status");
        }
        serve(ObjectKind.BARRIER, BarrierOps.barrier(), "status");
        serve(ObjectKind.PIPE, PipeOps.pipe(), "status");
    }

    private ObjectKinds() {}

    private static void serve(ObjectKind kind, Map<String, ObjectOp> ops, String show) {
        OPS.put(kind, ops);
        SHOW.put(kind, show);
    }

    /** The calls of {@code kind}; null when it is not served. */
    static Map<String, ObjectOp> ops(ObjectKind kind) {
        return OPS.get(kind);
    }

    /** The call that shows an object of {@code kind}. */
    static ObjectOp show(ObjectKind kind) {
        return OPS.get(kind).get(SHOW.get(kind));
    }

    /** Every kind's calls, for the API's documentation. */
    static String describe() {
        StringBuilder s = new StringBuilder();
        OPS.forEach((k, ops) -> s.append(s.length() == 0 ? "" : "; ")
                .append(k.wire())
                .append(": ")
                .append(String.join(", ", ops.keySet())));
        return s.toString();
    }
}
