package io.forklift.worker.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.KeyValue;

/**
 * Returns {@code plan.value()} after, in this order: marking its start, waiting for a gate the test
 * opens, sleeping, marking its finish. Each step is optional; the Redis ones need {@code redisUri}.
 */
public final class Nap implements Task<Nap.Plan, Integer> {
    /** Longest a task waits for its gate; a test that never opens it fails instead of hanging. */
    static final double GATE_SECONDS = 30;

    /**
     * @param value    returned
     * @param millis   sleep, the task's workload
     * @param redisUri Redis of the keys below; null when none is used
     * @param started  list the value is pushed to on start; may be null
     * @param gate     list to pop a token from before sleeping; may be null
     * @param finished list the value is pushed to on finish; may be null
     */
    public record Plan(int value, long millis, String redisUri, String started, String gate, String finished) {
        public static Plan sleep(int value, long millis) {
            return new Plan(value, millis, null, null, null, null);
        }

        public Plan gatedBy(String uri, String gateKey) {
            return new Plan(value, millis, uri, started, gateKey, finished);
        }

        public Plan markingStartIn(String uri, String key) {
            return new Plan(value, millis, uri, key, gate, finished);
        }

        public Plan markingFinishIn(String uri, String key) {
            return new Plan(value, millis, uri, started, gate, key);
        }
    }

    @Override
    public Integer call(Plan plan, TaskContext ctx) throws InterruptedException {
        UnifiedJedis redis = plan.redisUri() == null ? null : TaskRedis.at(plan.redisUri());
        if (plan.started() != null) redis.rpush(plan.started(), Integer.toString(plan.value()));
        if (plan.gate() != null) {
            KeyValue<String, String> token = redis.blpop(GATE_SECONDS, plan.gate());
            if (token == null)
                throw new IllegalStateException(
                        "gate " + plan.gate() + " was not opened within " + GATE_SECONDS + " s");
        }
        Thread.sleep(plan.millis());
        if (plan.finished() != null) redis.rpush(plan.finished(), Integer.toString(plan.value()));
        return plan.value();
    }
}
