package io.forklift.worker;

import io.forklift.redis.Queues;
import io.forklift.wire.Authkey;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limits of the queues this worker serves in a cluster with an authkey, as it honours them: each
 * queue's --max-running and each capped pool's cap, read from Redis at most every two seconds and
 * only when signed with the key, so someone who can write to Redis but lacks it cannot throttle a
 * queue or a pool; a new setting counts within two seconds (until then a new pool's tasks wait).
 * A change of a queue's limit is logged. Used under the fetcher's lock.
 */
final class QueueCaps {
    private static final Logger log = LoggerFactory.getLogger(QueueCaps.class);
    private static final long REFRESH_NANOS = Duration.ofSeconds(2).toNanos();

    private final Queues queues;
    private final List<String> served;
    private final Authkey authkey;
    private final Map<String, Integer> caps = new HashMap<>();
    private final Map<String, Map<String, Integer>> poolCaps = new HashMap<>();
    private final Set<String> refused = new HashSet<>(); // settings already reported as refused
    private long nextReadNanos = System.nanoTime();

    QueueCaps(Queues queues, List<String> served, Authkey authkey) {
        this.queues = queues;
        this.served = List.copyOf(served);
        this.authkey = authkey;
    }

    /** The --max-running of {@code queue} to claim under; 0 for none. Reads Redis when the last reading is two seconds old. */
    int cap(String queue) {
        refresh();
        return caps.getOrDefault(queue, 0);
    }

    /** The caps of {@code queue}'s pools (pool -> cap; 0: its stored cap was refused, so it has none). */
    Map<String, Integer> poolCaps(String queue) {
        refresh();
        return poolCaps.getOrDefault(queue, Map.of());
    }

    private void refresh() {
        long now = System.nanoTime();
        if (now - nextReadNanos < 0) return;
        nextReadNanos = now + REFRESH_NANOS;
        try {
            queues.caps(served).forEach(this::honour);
            queues.poolCaps(served).forEach(this::honourPools);
        } catch (RuntimeException e) {
            log.debug("queue caps not read ({}); keeping the last ones", e.getMessage());
        }
    }

    private void honour(String queue, Queues.Cap stored) {
        int before = caps.getOrDefault(queue, 0);
        int cap = stored == null ? 0 : verified(queue, queue + "/concurrency", stored, before);
        caps.put(queue, cap);
        if (before != cap) {
            log.info(
                    "queue '{}': max-running {} (was {})",
                    queue,
                    cap == 0 ? "none" : cap,
                    before == 0 ? "none" : before);
        }
    }

    private void honourPools(String queue, Map<String, Queues.Cap> stored) {
        Map<String, Integer> before = poolCaps.getOrDefault(queue, Map.of());
        Map<String, Integer> now = new HashMap<>();
        stored.forEach((pool, cap) -> now.put(
                pool,
                verified(
                        queue + " pool " + pool,
                        Queues.poolCapBinding(queue, pool),
                        cap,
                        before.getOrDefault(pool, 0))));
        poolCaps.put(queue, now);
    }

    /** The stored value if its signature holds; else {@code fallback}, the one honoured before (logged once). */
    private int verified(String what, String boundTo, Queues.Cap stored, int fallback) {
        String why = null;
        if (stored.signature() == null) {
            why = "it was written without the authkey";
        } else {
            try {
                String signed = authkey.verify(Authkey.SETTING, boundTo, stored.signature(), System.currentTimeMillis())
                        .payload();
                if (!signed.equals(stored.value())) why = "its signature is for " + signed;
            } catch (Authkey.BadSignatureException e) {
                why = e.getMessage();
            }
        }
        int cap = 0;
        try {
            cap = Math.max(0, Integer.parseInt(stored.value()));
        } catch (NumberFormatException e) {
            why = "it is not a number";
        }
        if (why == null) {
            refused.remove(boundTo + "=" + stored.value());
            return cap;
        }
        if (refused.add(boundTo + "=" + stored.value())) {
            log.warn("queue '{}': ignoring its cap {}: {}", what, stored.value(), why);
        }
        return fallback;
    }
}
