package io.forklift.worker;

import java.util.List;
import java.util.Map;

/**
 * One Redis round trip the {@link Fetcher} makes for the {@link Dispatcher}: complete the buffered
 * completions (per queue, {@code complete.lua} arguments), renew the leases that are due and give
 * back the tasks a draining worker will not finish, and, after a trip whose reply was lost, the
 * leases held without knowing (per queue, {@code renew.lua} and {@code release.lua} arguments, and
 * the ids held for {@code claim.lua} to keep; may be empty) and claim up to {@code claimCount} tasks from
 * {@code claimQueue} (none when the count is 0).
 */
record Trip(
        Map<String, List<String>> completions,
        Map<String, List<String>> renewals,
        Map<String, List<String>> releases,
        Map<String, List<String>> held,
        String claimQueue,
        int claimCount) {

    /** A claimed task that passed the dispatcher's checks, with its header. */
    record Accepted(Claimed claimed, io.forklift.wire.TaskHeader header) {}

    /** A claimed task, as {@code claim.lua} returns it. */
    record Claimed(String queue, String id, int attempt, String json) {}

    /** What came back: claimed tasks, stale completions, leases lost, leases given back, or the error that stopped the trip. */
    record Outcome(
            Trip trip,
            List<Claimed> claimed,
            List<String> stale,
            List<String> lost,
            long givenBack,
            RuntimeException error) {}
}
