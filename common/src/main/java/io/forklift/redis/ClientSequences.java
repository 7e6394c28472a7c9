package io.forklift.redis;

import java.time.Duration;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

/**
 * Task sequence numbers of clients that do not count for themselves (HTTP clients, whose requests
 * any coordinator may serve): {@code seq:<client>} is INCRBY'd per batch (one counter per client across
 * its queues, as a Java client counts), so ids never repeat
 * whichever coordinator hands them out.
 */
public final class ClientSequences {
    private final Redis redis;
    private final Keys keys;

    public ClientSequences(Redis redis) {
        this.redis = redis;
        this.keys = redis.keys();
    }

    /**
     * Reserves {@code n} sequence numbers of {@code client}; returns the first (the others follow
     * it). The counter lives {@code keep} past this call.
     */
    public long reserve(String client, int n, Duration keep) {
        if (n < 1) throw new IllegalArgumentException("reserve at least one sequence number, got " + n);
        String key = keys.sequence(client);
        return redis.call(j -> {
            Response<Long> last;
            try (AbstractPipeline p = j.pipelined()) {
                last = p.incrBy(key, n);
                p.pexpire(key, keep.toMillis());
                p.sync();
            }
            return last.get() - n + 1;
        });
    }
}
