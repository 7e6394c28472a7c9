package io.forklift.coordinator;

import io.forklift.redis.Keys;
import io.forklift.redis.Redis;
import io.forklift.worker.LocalWorker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.resps.Tuple;

/**
 * A snapshot of a cluster read from Redis in two round trips: each known queue's depth by state
 * and cap, and each worker whose heartbeat has not expired.
 */
public record ClusterStatus(List<QueueState> queues, List<WorkerState> workers) {

    /**
     * A queue: tasks waiting, waiting out a retry backoff (delayed), leased (claimed by a worker) and
     * dead-lettered; its cap (0 = none).
     */
    public record QueueState(String name, long ready, long delayed, long leased, long dead, int cap) {}

    /** A live worker: where it runs, what it serves, its children's pids, how many run a task, and counters. */
    public record WorkerState(
            String id,
            String host,
            long pid,
            String queues,
            List<Long> children,
            int busy,
            long tasksSucceeded,
            long tasksFailed) {}

    public static ClusterStatus read(Redis redis) {
        Keys keys = redis.keys();
        List<String> names = new ArrayList<>(new TreeSet<>(redis.jedis().smembers(keys.queues())));
        List<Tuple> seen = redis.jedis().zrangeWithScores(keys.workers(), 0, -1);
        List<QueueState> queues = new ArrayList<>();
        List<WorkerState> workers = new ArrayList<>();
        try (AbstractPipeline p = redis.jedis().pipelined()) {
            List<Response<?>[]> perQueue = new ArrayList<>();
            for (String q : names) {
                perQueue.add(new Response<?>[] {
                    p.llen(keys.ready(q)),
                    p.zcard(keys.delayed(q)),
                    p.zcard(keys.inflight(q)),
                    p.llen(keys.dead(q)),
                    p.hget(keys.meta(q), "concurrency")
                });
            }
            List<Response<Map<String, String>>> beats = new ArrayList<>();
            for (Tuple w : seen) beats.add(p.hgetAll(keys.worker(w.getElement())));
            p.sync();
            for (int i = 0; i < names.size(); i++) {
                Response<?>[] r = perQueue.get(i);
                String cap = (String) r[4].get();
                queues.add(new QueueState(
                        names.get(i),
                        (Long) r[0].get(),
                        (Long) r[1].get(),
                        (Long) r[2].get(),
                        (Long) r[3].get(),
                        cap == null ? 0 : Integer.parseInt(cap)));
            }
            for (int i = 0; i < seen.size(); i++) {
                Map<String, String> beat = beats.get(i).get();
                if (beat.isEmpty()) continue; // heartbeat expired: the worker is gone
                workers.add(new WorkerState(
                        seen.get(i).getElement(),
                        beat.get("host"),
                        Long.parseLong(beat.getOrDefault("pid", "0")),
                        beat.get("queues"),
                        LocalWorker.pids(beat.get("children")),
                        Integer.parseInt(beat.getOrDefault("busy", "0")),
                        Long.parseLong(beat.getOrDefault("tasks_succeeded", "0")),
                        Long.parseLong(beat.getOrDefault("tasks_failed", "0"))));
            }
        }
        return new ClusterStatus(queues, workers);
    }
}
