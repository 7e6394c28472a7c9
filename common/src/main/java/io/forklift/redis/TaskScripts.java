package io.forklift.redis;

import io.forklift.wire.Owed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The task life's Lua transitions as typed calls, as BullMQ's {@code Scripts} class: submit, claim,
 * complete, renew, release and revoke. The only code that knows their KEYS and ARGV order and the
 * shape of their replies; everything else passes and gets the records below. Each method builds a
 * {@link ScriptCall}; run it alone ({@link Redis#run}) or with others in a {@link ScriptBatch}.
 */
public final class TaskScripts {
    private final Keys keys;

    public TaskScripts(Keys keys) {
        this.keys = keys;
    }

    /** A task to store: its id and its message exactly as it will be stored. */
    public record Stored(String id, String json) {}

    /**
     * Stores tasks and makes them ready, in order. {@code retry}: a round trip that may have stored
     * some of them failed, so a task already stored is skipped rather than queued twice.
     * Replies the number stored.
     */
    public ScriptCall<Long> submit(String queue, boolean retry, List<Stored> tasks) {
        return submit(queue, retry, "", tasks);
    }

    /** As above, for the tasks of a pool with a cap of its own ({@code pool} its id; "" for none). */
    public ScriptCall<Long> submit(String queue, boolean retry, String pool, List<Stored> tasks) {
        List<String> args = new ArrayList<>(2 + 2 * tasks.size());
        args.add(retry ? "retry" : "new");
        args.add(pool);
        for (Stored t : tasks) {
            args.add(t.id());
            args.add(t.json());
        }
        return new ScriptCall<>(
                Script.SUBMIT,
                List.of(keys.ready(queue), keys.msgs(queue), keys.wake(queue), keys.lanes(queue), keys.poolOf(queue)),
                args,
                Long.class::cast);
    }

    /**
     * A claim by one worker's round trip.
     *
     * @param count           most tasks to lease (0 to give back only)
     * @param fence           the round trip's fence token: zero-padded, later trips compare greater
     * @param held            non-null after a round trip whose reply was lost: the ids this worker
     *                        knows it holds in the queue; every other lease it holds there is given back first
     * @param maxPayloadBytes a larger message is dead-lettered too_large unread
     * @param refuseReplays   whether a task whose done bit is set (it ran already: this is a copy
     *                        pushed again) is dead-lettered as replayed; a worker with an authkey sets it
     * @param cap             the queue's --max-running as verified with the authkey (at most this many of
     *                        its tasks running at once, all pools; 0 for none), or null without an authkey:
     *                        the stored one counts
     * @param poolCaps        the capped pools' caps as verified with the authkey (0: refused, no cap), or
     *                        null without an authkey: the stored ones count
     * @param starts          how many of the claimed tasks idle children would start at once: they get a
     *                        slot under the cap while one is free; the rest are prefetched, without one
     * @param asks            prefetched tasks this worker holds here that idle children could start: each
     *                        is granted a slot while one is free
     */
    public record Claim(
            String queue,
            int count,
            String workerId,
            Duration lease,
            int maxPayloadBytes,
            boolean refuseReplays,
            String fence,
            Integer cap,
            Map<String, Integer> poolCaps,
            List<String> held,
            int starts,
            List<Lease> asks) {}

    /**
     * A leased task: its id, its attempt number (1 on the first run), whether it holds a slot under the
     * caps (it may start at once; else it is prefetched) and its message as stored.
     */
    public record ClaimedTask(String id, int attempt, boolean slotted, String pool, String json) {
        /** A task of no capped pool. */
        public ClaimedTask(String id, int attempt, boolean slotted, String json) {
            this(id, attempt, slotted, "", json);
        }
    }

    /**
     * What a claim did: leases given back (unknown to the worker), failure replies it now owes
     * clients (tasks dropped as too large: the worker signs and delivers them), the asked-for
     * prefetched tasks granted a slot, the tasks now leased to it.
     */
    public record Claimed(long givenBack, List<Owed> owed, List<String> granted, List<ClaimedTask> tasks) {
        /** Another process with this worker's id made a newer round trip: this one claimed nothing. */
        public boolean fencedOut() {
            return givenBack < 0;
        }
    }

    public ScriptCall<Claimed> claim(Claim c) {
        String q = c.queue();
        List<String> args = new ArrayList<>(List.of(
                Integer.toString(c.count()),
                c.workerId(),
                Long.toString(c.lease().toMillis()),
                Integer.toString(c.maxPayloadBytes()),
                q,
                c.refuseReplays() ? keys.donePrefix(q) : "",
                c.fence(),
                c.cap() == null ? "" : Integer.toString(c.cap()),
                c.held() == null ? "0" : "1",
                Integer.toString(c.starts()),
                Integer.toString(c.asks().size()),
                ClaimReply.poolCaps(c.poolCaps())));
        addLeases(args, c.asks());
        if (c.held() != null) args.addAll(c.held());
        List<String> k = List.of(
                keys.ready(q),
                keys.inflight(q),
                keys.unreplied(q),
                keys.wake(q),
                keys.msgs(q),
                keys.attempts(q),
                keys.owners(q),
                keys.dead(q),
                keys.fences(q),
                keys.meta(q),
                keys.running(q),
                keys.lanes(q),
                keys.pools(q),
                keys.poolRunning(q),
                keys.poolOf(q));
        return new ScriptCall<>(Script.CLAIM, k, args, ClaimReply::read);
    }

    /**
     * How one leased run ended, for {@code complete.lua}.
     *
     * @param client         the submitter, whose reply list gets {@code replyJson}; null if unknown
     * @param deadLetterJson the dead-letter record; null unless the task is dead-lettered
     * @param retryDelayMs   0 or more when the task runs again after that delay (no reply is sent);
     *                       negative when it ends
     * @param validUntilMs   until when its signed message is valid, so its done bit is kept that long
     *                       (a copy pushed again is refused); 0 for an unsigned message, which gets no bit
     */
    public record Completion(
            String id,
            int attempt,
            String client,
            String replyJson,
            String deadLetterJson,
            long retryDelayMs,
            long validUntilMs) {}

    /**
     * Completes runs of one worker in one queue, and counts as running the prefetched tasks it
     * {@code started} since its last round trip on children those runs freed (their slots pass on).
     * Replies the ids rejected as stale (no longer its lease).
     */
    public ScriptCall<List<String>> complete(
            String queue, String workerId, Duration resultTtl, List<Lease> started, List<Completion> runs) {
        List<String> args = new ArrayList<>(6 + 2 * started.size() + 7 * runs.size());
        args.addAll(List.of(
                keys.resultsPrefix(queue),
                keys.replyPrefix(queue),
                Long.toString(resultTtl.toMillis()),
                workerId,
                keys.donePrefix(queue),
                Integer.toString(started.size())));
        addLeases(args, started);
        for (Completion c : runs) {
            args.add(c.id());
            args.add(Integer.toString(c.attempt()));
            args.add(c.client() == null ? "" : c.client());
            args.add(c.replyJson());
            args.add(c.deadLetterJson() == null ? "" : c.deadLetterJson());
            args.add(c.retryDelayMs() < 0 ? "" : Long.toString(c.retryDelayMs()));
            args.add(c.validUntilMs() <= 0 ? "" : Long.toString(c.validUntilMs()));
        }
        List<String> k = List.of(
                keys.inflight(queue),
                keys.ready(queue),
                keys.wake(queue),
                keys.dead(queue),
                keys.msgs(queue),
                keys.attempts(queue),
                keys.owners(queue),
                keys.delayed(queue),
                keys.meta(queue),
                keys.running(queue),
                keys.lanes(queue),
                keys.poolRunning(queue),
                keys.poolOf(queue));
        return new ScriptCall<>(Script.COMPLETE, k, args, TaskScripts::strings);
    }

    /** A failure reply a script owed, now built and signed by a daemon: for {@code client}'s task {@code id}. */
    public record Delivery(String id, String client, String reply) {}

    /** Delivers owed failure replies of one queue, each once. Replies how many were delivered now. */
    public ScriptCall<Long> deliver(String queue, Duration resultTtl, List<Delivery> replies) {
        List<String> args = new ArrayList<>(3 + 3 * replies.size());
        args.addAll(List.of(keys.resultsPrefix(queue), keys.replyPrefix(queue), Long.toString(resultTtl.toMillis())));
        for (Delivery d : replies) {
            args.add(d.id());
            args.add(d.client());
            args.add(d.reply());
        }
        return new ScriptCall<>(Script.DELIVER, List.of(keys.unreplied(queue)), args, Long.class::cast);
    }

    /** A lease as its holder knows it: the task and the attempt it runs. */
    public record Lease(String id, int attempt) {}

    /** Extends leases of one worker in one queue. Replies the ids whose lease it no longer holds. */
    public ScriptCall<List<String>> renew(String queue, String workerId, Duration lease, List<Lease> leases) {
        List<String> args = new ArrayList<>(2 + 2 * leases.size());
        args.add(workerId);
        args.add(Long.toString(lease.toMillis()));
        addLeases(args, leases);
        return new ScriptCall<>(
                Script.RENEW, List.of(keys.inflight(queue), keys.owners(queue)), args, TaskScripts::strings);
    }

    /** Gives leases back unused (a draining worker), attempts not counted. Replies how many it gave back. */
    public ScriptCall<Long> release(String queue, String workerId, List<Lease> leases) {
        List<String> args = new ArrayList<>(1 + 2 * leases.size());
        args.add(workerId);
        addLeases(args, leases);
        List<String> k = List.of(
                keys.inflight(queue),
                keys.ready(queue),
                keys.owners(queue),
                keys.attempts(queue),
                keys.wake(queue),
                keys.running(queue),
                keys.lanes(queue),
                keys.poolRunning(queue),
                keys.poolOf(queue));
        return new ScriptCall<>(Script.RELEASE, k, args, Long.class::cast);
    }

    /** Where a revoked task was: not started, running (its lease taken away), or already ended. */
    public enum Revoked {
        WITHDRAWN,
        REVOKED,
        ENDED
    }

    /** Cancels tasks of one queue wherever they are. Replies each id's {@link Revoked}, in order. */
    public ScriptCall<Map<String, Revoked>> revoke(String queue, List<String> ids) {
        List<String> args = new ArrayList<>(2 + ids.size());
        args.add(keys.revokedChannel());
        args.add(queue);
        args.addAll(ids);
        List<String> k = List.of(
                keys.ready(queue),
                keys.msgs(queue),
                keys.inflight(queue),
                keys.owners(queue),
                keys.attempts(queue),
                keys.delayed(queue),
                keys.running(queue),
                keys.lanes(queue),
                keys.poolRunning(queue),
                keys.poolOf(queue));
        return new ScriptCall<>(Script.REVOKE, k, args, reply -> {
            Map<String, Revoked> out = new LinkedHashMap<>();
            List<?> outcomes = (List<?>) reply;
            for (int i = 0; i < ids.size(); i++) {
                out.put(ids.get(i), Revoked.valueOf(((String) outcomes.get(i)).toUpperCase(Locale.ROOT)));
            }
            return out;
        });
    }

    private static void addLeases(List<String> args, List<Lease> leases) {
        for (Lease l : leases) {
            args.add(l.id());
            args.add(Integer.toString(l.attempt()));
        }
    }

    private static List<String> strings(Object reply) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) reply) out.add((String) o);
        return out;
    }
}
