package io.forklift.redis;

import io.forklift.wire.Owed;
import java.time.Duration;
import java.util.List;

/**
 * The housekeeping transitions as typed calls: the leader lease, requeueing tasks whose lease ran
 * out, promoting retries whose delay is over, pruning what a queue keeps of the past, and retrying
 * dead letters. The only code that knows their KEYS and ARGV order and the shape of their replies.
 */
public final class HousekeepingScripts {
    private final Keys keys;

    public HousekeepingScripts(Keys keys) {
        this.keys = keys;
    }

    /** Takes or keeps the leader lease for {@code lease}; replies whether {@code coordinatorId} holds it now. */
    public ScriptCall<Boolean> lead(String coordinatorId, Duration lease) {
        return new ScriptCall<>(
                Script.LEADER,
                List.of(keys.leader()),
                List.of(coordinatorId, Long.toString(lease.toMillis())),
                reply -> (Long) reply == 1L);
    }

    /**
     * What one pass over a queue's expired leases did, and every failure reply owed in the queue
     * (for the housekeeper to sign and deliver).
     */
    public record Requeued(long requeued, long deadLettered, List<Owed> owed) {
        public long total() {
            return requeued + deadLettered;
        }
    }

    /**
     * Gives back up to {@code batch} tasks whose lease ran out; a task started {@code maxAttempts}
     * times is dead-lettered instead, its client owed a failure reply.
     */
    public ScriptCall<Requeued> requeueExpired(String queue, int maxAttempts, int batch) {
        List<String> k = List.of(
                keys.inflight(queue),
                keys.ready(queue),
                keys.owners(queue),
                keys.attempts(queue),
                keys.msgs(queue),
                keys.dead(queue),
                keys.wake(queue),
                keys.unreplied(queue),
                keys.running(queue),
                keys.lanes(queue),
                keys.poolRunning(queue),
                keys.poolOf(queue));
        List<String> args = List.of(Integer.toString(maxAttempts), Integer.toString(batch), queue);
        return new ScriptCall<>(Script.REQUEUE_EXPIRED, k, args, reply -> {
            List<?> flat = (List<?>) reply;
            return new Requeued((Long) flat.get(0), (Long) flat.get(1), OwedReplies.read(flat.subList(2, flat.size())));
        });
    }

    /**
     * Moves up to {@code batch} retries whose delay is over to the front of ready, the one due
     * longest first; replies how many.
     */
    public ScriptCall<Long> promoteDelayed(String queue, int batch) {
        return new ScriptCall<>(
                Script.PROMOTE_DELAYED,
                List.of(
                        keys.delayed(queue),
                        keys.ready(queue),
                        keys.wake(queue),
                        keys.lanes(queue),
                        keys.poolOf(queue)),
                List.of(Integer.toString(batch)),
                Long.class::cast);
    }

    /** What one prune of a queue did: fence fields of long-gone workers removed, oldest dead letters dropped. */
    public record Pruned(long fences, long deadDropped) {}

    /**
     * Removes the fence fields of {@code goneWorkers} (workers whose heartbeat stopped long ago) and
     * drops the oldest dead-letter records beyond the newest {@code deadMax}.
     */
    public ScriptCall<Pruned> pruneQueue(String queue, int deadMax, List<String> goneWorkers) {
        if (deadMax < 1) throw new IllegalArgumentException("deadMax must be at least 1, got " + deadMax);
        List<String> args = new java.util.ArrayList<>(1 + goneWorkers.size());
        args.add(Integer.toString(deadMax));
        args.addAll(goneWorkers);
        return new ScriptCall<>(Script.PRUNE_QUEUE, List.of(keys.fences(queue), keys.dead(queue)), args, reply -> {
            List<?> counts = (List<?>) reply;
            return new Pruned((Long) counts.get(0), (Long) counts.get(1));
        });
    }

    /**
     * Forgets the caps of {@code pools} (of clients whose liveness lease is gone) that hold no task in
     * their lane and none running; replies the ids forgotten.
     */
    public ScriptCall<List<String>> poolForget(String queue, List<String> pools) {
        return new ScriptCall<>(
                Script.POOL_FORGET,
                List.of(keys.pools(queue), keys.lanes(queue), keys.poolRunning(queue)),
                pools,
                reply -> ((List<?>) reply).stream().map(o -> (String) o).toList());
    }

    /**
     * A dead-letter record to run again: the record exactly as stored, its task id, the message to run,
     * and the capped pool it came from (null for none).
     */
    public record Retry(String record, String id, String message, String pool) {}

    /** Requeues dead-lettered tasks with their attempts reset; replies how many. */
    public ScriptCall<Long> deadRetry(String queue, List<Retry> retries) {
        List<String> k = List.of(
                keys.dead(queue),
                keys.ready(queue),
                keys.msgs(queue),
                keys.attempts(queue),
                keys.wake(queue),
                keys.unreplied(queue),
                keys.lanes(queue),
                keys.pools(queue),
                keys.poolOf(queue));
        List<String> args = new java.util.ArrayList<>(1 + 4 * retries.size());
        args.add(keys.donePrefix(queue));
        for (Retry r : retries) {
            args.add(r.record());
            args.add(r.id());
            args.add(r.message());
            args.add(r.pool() == null ? "" : r.pool());
        }
        return new ScriptCall<>(Script.DEAD_RETRY, k, args, Long.class::cast);
    }

    /** What {@code queue_delete.lua} found: whether it deleted, and the tasks the queue held. */
    public record Deleted(boolean deleted, long ready, long leased, long delayed) {}

    /**
     * Deletes the fixed-name keys of {@code queue}; unless {@code force}, refuses (deleting nothing)
     * while the queue holds tasks ready (in its ready list or a capped pool's lane), leased or delayed.
     */
    public ScriptCall<Deleted> deleteQueue(String queue, boolean force) {
        List<String> k = List.of(
                keys.ready(queue),
                keys.inflight(queue),
                keys.delayed(queue),
                keys.lanes(queue),
                keys.msgs(queue),
                keys.attempts(queue),
                keys.running(queue),
                keys.owners(queue),
                keys.fences(queue),
                keys.meta(queue),
                keys.wake(queue),
                keys.dead(queue),
                keys.unreplied(queue));
        return new ScriptCall<>(Script.QUEUE_DELETE, k, List.of(force ? "1" : "0"), reply -> {
            List<?> r = (List<?>) reply;
            return new Deleted((Long) r.get(0) == 1L, (Long) r.get(1), (Long) r.get(2), (Long) r.get(3));
        });
    }
}
