package io.forklift;

import io.forklift.redis.Queues;
import io.forklift.wire.Authkey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This client's pool caps ({@code fl.pool(q, n)}): each declared in Redis, signed where the cluster has
 * an authkey, under this client's lease, and written again at each renewal; forgotten at close. A
 * client killed without a close leaves its caps behind, so housekeeping forgets the caps of a client
 * whose lease ran out once its pools hold no task (see {@code pool_forget.lua}); the rewrite brings
 * back a cap forgotten while this program stalled past its lease.
 */
final class PoolCaps {
    private static final Logger log = LoggerFactory.getLogger(PoolCaps.class);

    private final Queues queues;
    private final ClientLease lease;
    private final Authkey authkey;
    private final String clientId;
    private final AtomicLong numbers = new AtomicLong();
    private final Map<String, Map<String, Queues.Cap>> mine = new LinkedHashMap<>(); // queue -> cap id -> cap

    PoolCaps(Queues queues, ClientLease lease, Authkey authkey, String clientId) {
        this.queues = queues;
        this.lease = lease;
        this.authkey = authkey;
        this.clientId = clientId;
    }

    /** Declares a new pool's cap on {@code queue}; returns the pool's cap id ("<client>.<n>"). */
    String declare(String queue, int processes) {
        String capId = clientId + "." + Long.toString(numbers.incrementAndGet(), 36);
        String value = Integer.toString(processes);
        String signature = authkey == null
                ? null
                : authkey.sign(Authkey.SETTING, Queues.poolCapBinding(queue, capId), Long.MAX_VALUE, value);
        Queues.Cap cap = new Queues.Cap(value, signature);
        lease.hold(this::declareAgain); // first: housekeeping must not find a cap whose client holds no lease
        queues.declarePools(Map.of(queue, Map.of(capId, cap)));
        synchronized (mine) {
            mine.computeIfAbsent(queue, q -> new LinkedHashMap<>()).put(capId, cap);
        }
        return capId;
    }

    private void declareAgain() {
        queues.declarePools(snapshot());
    }

    /** At close: this client's pools submit no more, so their caps need not stay (best effort). */
    void forgetAll() {
        Map<String, List<String>> ids = new LinkedHashMap<>();
        snapshot().forEach((queue, caps) -> ids.put(queue, List.copyOf(caps.keySet())));
        try {
            queues.forgetPools(ids);
        } catch (RuntimeException e) {
            log.debug("pool caps not removed at close: {}", e.getMessage());
        }
    }

    private Map<String, Map<String, Queues.Cap>> snapshot() {
        synchronized (mine) {
            Map<String, Map<String, Queues.Cap>> copy = new LinkedHashMap<>();
            mine.forEach((queue, caps) -> copy.put(queue, Map.copyOf(caps)));
            return copy;
        }
    }
}
