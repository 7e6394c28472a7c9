package io.forklift.worker;

import io.forklift.redis.TaskScripts.Completion;
import io.forklift.redis.TaskScripts.Delivery;
import io.forklift.redis.TaskScripts.Lease;
import io.forklift.wire.Owed;
import io.forklift.wire.TaskMessage;
import java.util.List;
import java.util.Map;

/**
 * One Redis round trip the {@link Fetcher} makes for the {@link Dispatcher}, per queue: complete the
 * runs that ended, deliver the failure replies owed, renew the leases that are due, give back the tasks a draining worker will not
 * finish, and, after a trip whose reply was lost, give back the leases held without knowing (all
 * but {@code held}); then claim up to {@code claimCount} tasks from {@code claimQueue} (none when 0),
 * of which {@code starts} would start at once on idle children. {@code started}: prefetched tasks
 * started on children freed by the runs completed in the same queue (their slots under the caps
 * pass on); {@code asks}: prefetched tasks idle children could start, asking for a slot.
 */
record Trip(
        Map<String, List<Completion>> completions,
        Map<String, List<Lease>> started,
        Map<String, List<Delivery>> deliveries,
        Map<String, List<Lease>> renewals,
        Map<String, List<Lease>> releases,
        Map<String, List<String>> held,
        Map<String, List<Lease>> asks,
        String claimQueue,
        int claimCount,
        int starts) {

    /** The next trip: takes what is owed to Redis from {@code completions} and {@code held}. */
    static Trip next(
            Completions completions,
            HeldTasks held,
            Map<String, List<Lease>> renewals,
            ClaimPlan plan,
            String claimQueue) {
        Map<String, List<Completion>> completing = completions.take();
        return new Trip(
                completing,
                held.slots().takeStarted(),
                completions.takeDeliveries(),
                renewals,
                held.takeReleases(),
                held.takeHeld(completing),
                plan.asks(),
                claimQueue,
                plan.count(),
                plan.starts());
    }

    /** A trip that only claims, as {@code plan} says, from {@code queue}. */
    static Trip claimOnly(String queue, ClaimPlan plan) {
        return new Trip(
                Map.of(),
                Map.of(),
                Map.of(),
                Map.of(),
                Map.of(),
                Map.of(),
                plan.asks(),
                queue,
                plan.count(),
                plan.starts());
    }

    /** Tasks this trip asks for: to claim, and slots for buffered ones. */
    int asked() {
        return claimCount + ClaimPlan.count(asks);
    }

    /** Whether this trip runs claim.lua: it claims, asks for slots, or gives back leases held unknowingly. */
    boolean callsClaim() {
        return claimCount > 0 || !asks.isEmpty() || !held.isEmpty();
    }

    /** Whether losing this trip would lose work: completions, owed replies or give-backs (not renewals or a claim). */
    boolean carriesWork() {
        return !completions.isEmpty() || !started.isEmpty() || !deliveries.isEmpty() || !releases.isEmpty();
    }

    /** Sends trips: the {@link Fetcher}, or a test's fake. One trip at a time: the next after its TripDone. */
    @FunctionalInterface
    interface Sender {
        void send(Trip trip);

        /**
         * Makes the round trip on the caller's thread and returns what came back, or null if this
         * sender cannot (then {@link #send}). A failed trip here does not wait out a backoff.
         */
        default Outcome travelNow(Trip trip) {
            return null;
        }
    }

    /** A claimed task, as {@code claim.lua} returns it; {@code slotted}: it may start at once (else prefetched). */
    record Claimed(String queue, String pool, String id, int attempt, boolean slotted, String json) {
        /** A task of no capped pool. */
        Claimed(String queue, String id, int attempt, boolean slotted, String json) {
            this(queue, "", id, attempt, slotted, json);
        }

        Lease lease() {
            return new Lease(id, attempt);
        }

        /** Whose slots this task may take: its queue's, or its capped pool's. */
        String slotKey() {
            return pool.isEmpty() ? queue : queue + " " + pool;
        }
    }

    /**
     * A claimed task that passed the intake checks: its message read without its arguments, the
     * message as the child gets it (its signature checked and removed), and until when it is valid
     * (0 when unsigned).
     */
    record Accepted(Claimed claimed, TaskMessage message, String payload, long validUntilMs) {}

    /**
     * What came back: claimed tasks, asked-for tasks granted a slot, failure replies owed for tasks
     * the claims dropped (per queue), stale completions, leases lost, leases given back, or the error
     * that stopped the trip.
     */
    record Outcome(
            Trip trip,
            List<Claimed> claimed,
            List<String> granted,
            Map<String, List<Owed>> owed,
            List<String> stale,
            List<String> lost,
            long givenBack,
            RuntimeException error) {
        static Outcome failed(Trip trip, RuntimeException error) {
            return new Outcome(trip, List.of(), List.of(), Map.of(), List.of(), List.of(), 0, error);
        }
    }
}
