package io.forklift.coordinator.http;

import io.forklift.manager.CallerArrival;
import io.forklift.manager.SharedBarrier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;

/**
 * The calls of a barrier, with Python's names. {@code wait} is one long call: the caller's arrival
 * lives while the call waits (the coordinator renews it), so a wait cannot be cut into several
 * calls as a queue's get is, and the longest wait is this coordinator's {@code --http-max-wait}.
 * It waits parked ({@link ParkedCall}) on the party's wake list, where the last arrival, a reset,
 * an abort or a break pushes its outcome. A broken barrier, a wait that timed out, or a client
 * that hung up mid-wait (each breaks it for every party, as Python's timeout does) is a 409
 * {@code broken} for the others.
 */
final class BarrierOps {
    private BarrierOps() {}

    static Map<String, ObjectOp> barrier() {
        Map<String, ObjectOp> ops = new LinkedHashMap<>();
        ops.put("wait", ObjectOp.parked(true, (m, n, b, w) -> {
            CallerArrival a = m.party(n);
            return new ParkedCall.Wait(
                    a.wakeKey(),
                    false,
                    b.timeout(),
                    last -> {
                        Integer index = last ? (Integer) a.giveUp() : a.step();
                        return index == null ? new ParkedCall.Later(a.nextLook()) : Map.of("index", index);
                    },
                    unanswered -> {
                        if (unanswered != null || !a.arrived()) return;
                        try {
                            a.giveUp(); // the barrier cannot fill with a party gone
                        } catch (BrokenBarrierException | TimeoutException expected) {
                            // broken for the others now, as meant
                        }
                    });
        }));
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
