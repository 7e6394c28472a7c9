package io.forklift;

import io.forklift.wire.RemoteError;
import java.time.Duration;
import java.util.List;

/**
 * How a pool's failing tasks run again (see {@link Pool#withRetries}), carried in each task message.
 * Failure types are held by class name because workers match them against the remote exception's
 * class and superclasses by name: the worker daemon never loads a class a payload names.
 *
 * @param maxAttempts runs in all; 1 = no retries
 * @param backoffMs   delay before the first retry; each later one doubles it, with jitter, capped at 10 minutes
 * @param retryOn     only failures of these types (or subclasses) retry; empty = every failure
 * @param noRetryOn   failures of these types (or subclasses) never retry, even if {@code retryOn} lists a superclass
 */
public record RetryPolicy(int maxAttempts, long backoffMs, List<String> retryOn, List<String> noRetryOn) {
    public static final RetryPolicy NONE = new RetryPolicy(1, 0, List.of(), List.of());
    private static final long MAX_BACKOFF_MS = 10 * 60 * 1000;

    public RetryPolicy {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        if (backoffMs < 0) throw new IllegalArgumentException("backoff must not be negative, got " + backoffMs + " ms");
        retryOn = names("retryOn", retryOn);
        noRetryOn = names("noRetryOn", noRetryOn);
    }

    /** The delay before the first retry. */
    public Duration backoff() {
        return Duration.ofMillis(backoffMs);
    }

    /** Whether a run that failed as {@code attempt} with {@code error} gets another. */
    public boolean retries(int attempt, RemoteError error) {
        return attempt < maxAttempts
                && (retryOn.isEmpty() || retryOn.stream().anyMatch(error::isA))
                && noRetryOn.stream().noneMatch(error::isA);
    }

    /** The delay before the next run after a failed {@code attempt}: backoff doubled per attempt, capped, with jitter in [half, full]. */
    public long retryDelayMs(int attempt, double random) {
        long step = Math.min(MAX_BACKOFF_MS, backoffMs << Math.min(30, Math.max(0, attempt - 1)));
        return step / 2 + (long) (random * (step / 2 + 1));
    }

    RetryPolicy attempts(int maxAttempts, Duration backoff) {
        return new RetryPolicy(maxAttempts, backoff.toMillis(), retryOn, noRetryOn);
    }

    RetryPolicy retryingOn(List<String> types) {
        return new RetryPolicy(maxAttempts, backoffMs, types, noRetryOn);
    }

    RetryPolicy notRetryingOn(List<String> types) {
        return new RetryPolicy(maxAttempts, backoffMs, retryOn, types);
    }

    private static List<String> names(String field, List<String> names) {
        if (names == null) return List.of();
        for (String n : names) {
            if (n == null || n.isBlank()) {
                throw new IllegalArgumentException(field + " must be a list of exception class names, got " + names);
            }
        }
        return List.copyOf(names);
    }
}
