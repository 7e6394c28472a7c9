package io.forklift.coordinator.http;

import io.forklift.manager.SharedBarrier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The calls of a barrier, with Python's names. {@code wait} is one long call: the caller's arrival
 * lives while the call waits (the coordinator renews it), so a wait cannot be cut into several
 * calls as a queue's get is, and the longest wait is this coordinator's {@code --http-max-wait}.
 * A broken barrier, or a wait that timed out (which breaks it for every party, as Python's does),
 * is a 409 {@code broken}.
 */
final class BarrierOps {
    private BarrierOps() {}

    static Map<String, ObjectOp> barrier() {
        Map<String, ObjectOp> ops = new LinkedHashMap<>();
        ops.put(
                "wait",
                ObjectOp.blocking(
                        true, (m, n, b) -> Map.of("index", m.barrier(n).await(b.timeout()))));
        ops.put("reset", ObjectOp.write((m, n, b) -> {
            m.barrier(n).reset();
            return Map.of();
        }));
        ops.put("abort", ObjectOp.write((m, n, b) -> {
            m.barrier(n).abort();
            return Map.of();
        }));
        ops.put("status", ObjectOp.read((m, n, b) -> {
            SharedBarrier barrier = m.barrier(n);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("parties", barrier.getParties());
            out.put("n_waiting", barrier.getNumberWaiting());
            out.put("broken", barrier.isBroken());
            return out;
        }));
        return ops;
    }
}
