package io.forklift.worker.tasks;

import io.forklift.Task;
import io.forklift.TaskContext;
import redis.clients.jedis.UnifiedJedis;

/**
 * Sleeps, and appends its run to a ledger kept outside Forklift: a Redis list entry
 * {@code "<start ms> <end ms> <pid>"}, both times by Redis's clock, the one clock every worker shares.
 * A test starts the clock once every child has loaded this code (a fresh child's first task pays
 * that, a second or more on a busy machine): each task first says it is waiting and takes a token
 * from a gate, the time the gate opened, and its run starts when it began or the gate opened,
 * whichever is later. Returns its pid.
 */
public final class Logged implements Task<Logged.Plan, Long> {
    private static final String NOW = "local t = redis.call('TIME') return t[1] * 1000 + math.floor(t[2] / 1000)";
    private static final String LOG =
            "local t = redis.call('TIME') return redis.call('RPUSH', KEYS[1], ARGV[1] .. ' ' .. (t[1] * 1000 +"
                    + " math.floor(t[2] / 1000)) .. ' ' .. ARGV[2])";

    /**
     * @param redisUri where the keys live
     * @param waiting  list a token is pushed to before waiting at the gate
     * @param gate     list a token (the time it opened, ms) is taken from, 30 s at most, before the run
     * @param ledger   list the run is appended to
     * @param millis   how long each task runs
     */
    public record Plan(String redisUri, String waiting, String gate, String ledger, long millis) {}

    @Override
    public Long call(Plan plan, TaskContext ctx) throws InterruptedException {
        UnifiedJedis redis = TaskRedis.at(plan.redisUri());
        long began = (Long) redis.eval(NOW);
        redis.rpush(plan.waiting(), "1");
        var token = redis.blpop(30.0, plan.gate());
        if (token == null) throw new IllegalStateException("the gate was not opened in 30 s");
        long start = Math.max(began, Long.parseLong(token.getValue()));
        Thread.sleep(plan.millis());
        long pid = ProcessHandle.current().pid();
        redis.eval(LOG, java.util.List.of(plan.ledger()), java.util.List.of(Long.toString(start), Long.toString(pid)));
        return pid;
    }
}
