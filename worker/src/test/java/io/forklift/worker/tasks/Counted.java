package io.forklift.worker.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;
import redis.clients.jedis.UnifiedJedis;

/**
 * Counts itself while it runs: increments a Redis counter of running tasks, records the highest
 * value the counter reached, sleeps, decrements. Returns the count it saw on entry.
 */
public final class Counted implements Task<Counted.Probe, Long> {
    /** INCR the counter and raise the peak to it, in one step so no peak is missed. */
    private static final String ENTER = """
            local n = redis.call('INCR', KEYS[1])
            if n > tonumber(redis.call('GET', KEYS[2]) or '0') then redis.call('SET', KEYS[2], n) end
            return n
            """;

    /**
     * @param redisUri where the keys live
     * @param running  counter of tasks running now
     * @param peak     highest value {@code running} reached
     * @param millis   how long each task runs
     */
    public record Probe(String redisUri, String running, String peak, long millis) {}

    @Override
    public Long call(Probe probe, TaskContext ctx) throws InterruptedException {
        UnifiedJedis redis = TaskRedis.at(probe.redisUri());
        long seen = (Long) redis.eval(ENTER, 2, probe.running(), probe.peak());
        try {
            Thread.sleep(probe.millis());
        } finally {
            redis.decr(probe.running());
        }
        return seen;
    }
}
