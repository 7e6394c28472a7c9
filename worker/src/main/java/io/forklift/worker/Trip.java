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
 * but {@code held}); then claim up to {@code claimCount} tasks from {@code claimQueue} (none when 0).
 */
record Trip(
        Map<String, List<Completion>> completions,
        Map<String, List<Delivery>> deliveries,
        Map<String, List<Lease>> renewals,
        Map<String, List<Lease>> releases,
        Map<String, List<String>> held,
        String claimQueue,
        int claimCount) {

    /** Whether losing this trip would lose work: completions, owed replies or give-backs (not renewals or a claim). */
    boolean carriesWork() {
        return !completions.isEmpty() || !deliveries.isEmpty() || !releases.isEmpty();
    }

    /** Sends trips: the {@link Fetcher}, or a test's fake. One trip at a time: the next after its TripDone. */
    @FunctionalInterface
    interface Sender {
        void send(Trip trip);
    }

    /** A claimed task, as {@code claim.lua} returns it. */
    record Claimed(String queue, String id, int attempt, String json) {
        Lease lease() {
            return new Lease(id, attempt);
        }
    }

    /**
     * A claimed task that passed the intake checks: its message read without its arguments, the
     * message as the child gets it (its signature checked and removed), and until when it is valid
     * (0 when unsigned).
     */
    record Accepted(Claimed claimed, TaskMessage message, String payload, long validUntilMs) {}

    /**
     * What came back: claimed tasks, failure replies owed for tasks the claims dropped (per queue),
     * stale completions, leases lost, leases given back, or the error that stopped the trip.
     */
    record Outcome(
            Trip trip,
            List<Claimed> claimed,
            Map<String, List<Owed>> owed,
            List<String> stale,
            List<String> lost,
            long givenBack,
            RuntimeException error) {
        static Outcome failed(Trip trip, RuntimeException error) {
            return new Outcome(trip, List.of(), Map.of(), List.of(), List.of(), 0, error);
        }
    }
}
