package io.forklift.worker;

import io.forklift.redis.TaskScripts.Completion;
import io.forklift.redis.TaskScripts.Lease;
import io.forklift.wire.TaskMessage;
import java.util.List;
import java.util.Map;

/**
 * One Redis round trip the {@link Fetcher} makes for the {@link Dispatcher}, per queue: complete the
 * runs that ended, renew the leases that are due, give back the tasks a draining worker will not
 * finish, and, after a trip whose reply was lost, give back the leases held without knowing (all
 * but {@code held}); then claim up to {@code claimCount} tasks from {@code claimQueue} (none when 0).
 */
record Trip(
        Map<String, List<Completion>> completions,
        Map<String, List<Lease>> renewals,
        Map<String, List<Lease>> releases,
        Map<String, List<String>> held,
        String claimQueue,
        int claimCount) {

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

    /** A claimed task that passed the intake checks, with its message read without its arguments. */
    record Accepted(Claimed claimed, TaskMessage message) {}

    /** What came back: claimed tasks, stale completions, leases lost, leases given back, or the error that stopped the trip. */
    record Outcome(
            Trip trip,
            List<Claimed> claimed,
            List<String> stale,
            List<String> lost,
            long givenBack,
            RuntimeException error) {
        static Outcome failed(Trip trip, RuntimeException error) {
            return new Outcome(trip, List.of(), List.of(), List.of(), 0, error);
        }
    }
}
