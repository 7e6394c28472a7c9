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
 * The caps of the queues this worker serves in a cluster with an authkey, as it honours them: read
 * from Redis at most every two seconds and only when signed with the key, so someone who can write to
 * Redis but lacks it cannot throttle a queue for every tenant; a new cap counts within two seconds.
 * A change is logged. Used from the fetcher thread only.
 */
final class QueueCaps {
    private static final Logger log = LoggerFactory.getLogger(QueueCaps.class);
    private static final long REFRESH_NANOS = Duration.ofSeconds(2).toNanos();

    private final Queues queues;
    private final List<String> served;
    private final Authkey authkey;
    private final Map<String, Integer> caps = new HashMap<>();
    private final Set<String> refused = new HashSet<>(); // settings already reported as refused
    private long nextReadNanos = System.nanoTime();

    QueueCaps(Queues queues, List<String> served, Authkey authkey) {
        this.queues = queues;
        this.served = List.copyOf(served);
        this.authkey = authkey;
    }

    /** The cap of {@code queue} to claim under; 0 for none. Reads Redis when the last reading is two seconds old. */
    int cap(String queue) {
        long now = System.nanoTime();
        if (now - nextReadNanos >= 0) {
            nextReadNanos = now + REFRESH_NANOS;
            try {
                queues.caps(served).forEach(this::honour);
            } catch (RuntimeException e) {
                log.debug("queue caps not read ({}); keeping the last ones", e.getMessage());
            }
        }
        return caps.getOrDefault(queue, 0);
    }

    private void honour(String queue, Queues.Cap stored) {
        int cap = stored == null ? 0 : verified(queue, stored);
        Integer before = caps.put(queue, cap);
        if (before != null && before != cap) {
            log.info("queue '{}': cap {} (was {})", queue, cap == 0 ? "none" : cap, before == 0 ? "none" : before);
        }
    }

    private int verified(String queue, Queues.Cap stored) {
        String why = null;
        if (stored.signature() == null) {
            why = "it was written without the authkey";
        } else {
            try {
                String signed = authkey.verify(
                                Authkey.SETTING, queue + "/concurrency", stored.signature(), System.currentTimeMillis())
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
            refused.remove(queue + stored.value());
            return cap;
        }
        if (refused.add(queue + stored.value())) {
            log.warn("queue '{}': ignoring its cap {}: {}", queue, stored.value(), why);
        }
        return caps.getOrDefault(queue, 0);
    }
}
