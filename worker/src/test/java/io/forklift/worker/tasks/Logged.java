package io.forklift.worker.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;
import java.util.List;
import redis.clients.jedis.JedisPooled;

/**
 * Sleeps, and appends its run to a ledger kept outside Forklift: a Redis list entry
 * {@code "<start ms> <end ms> <pid>"}, both times by Redis's clock, the one clock every worker shares.
 * First it says it is waiting and takes a token from a gate, so a test can start the clock once
 * every child has loaded this code (a fresh child's first task pays that, a second or more on a busy
 * machine). Returns its pid.
 */
public final class Logged implements Task<Logged.Plan, Long> {
    /**
     * @param redisUri where the keys live
     * @param waiting  list a token is pushed to before waiting at the gate
     * @param gate     list a token is taken from (30 s at most) before the run starts
     * @param ledger   list the run is appended to
     * @param millis   how long each task runs
     */
    public record Plan(String redisUri, String waiting, String gate, String ledger, long millis) {}

    @Override
    public Long call(Plan plan, TaskContext ctx) throws InterruptedException {
        JedisPooled redis = TaskRedis.at(plan.redisUri());
        redis.rpush(plan.waiting(), "1");
        if (redis.blpop(30, plan.gate()) == null) throw new IllegalStateException("the gate was not opened in 30 s");
        long start = now(redis);
        Thread.sleep(plan.millis());
        long pid = ProcessHandle.current().pid();
        redis.rpush(plan.ledger(), start + " " + now(redis) + " " + pid);
        return pid;
    }

    private static long now(JedisPooled redis) {
        List<?> t = (List<?>) redis.eval("return redis.call('TIME')");
        return Long.parseLong(t.get(0).toString()) * 1000
                + Long.parseLong(t.get(1).toString()) / 1000;
    }
}
