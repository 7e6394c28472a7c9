package io.forklift;

import java.time.Duration;
import java.util.List;

/**
 * How a pool's failing tasks run again (see {@link Pool#withRetries}). Failure types are held by
 * class name because workers match them against the remote exception's class and superclasses
 * by name: the worker daemon never loads a class a payload names.
 *
 * @param maxAttempts runs in all; 1 = no retries
 * @param backoff     delay before the first retry; each later one doubles it, with jitter
 * @param retryOn     only failures of these types (or subclasses) retry; empty = every failure
 * @param noRetryOn   failures of these types (or subclasses) never retry, even if {@code retryOn} lists a superclass
 */
public record RetryPolicy(int maxAttempts, Duration backoff, List<String> retryOn, List<String> noRetryOn) {
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, List.of(), List.of());

    public RetryPolicy {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        if (backoff.isNegative()) throw new IllegalArgumentException("backoff must not be negative, got " + backoff);
        retryOn = List.copyOf(retryOn);
        noRetryOn = List.copyOf(noRetryOn);
    }

    RetryPolicy attempts(int maxAttempts, Duration backoff) {
        return new RetryPolicy(maxAttempts, backoff, retryOn, noRetryOn);
    }

    RetryPolicy retryingOn(List<String> types) {
        return new RetryPolicy(maxAttempts, backoff, types, noRetryOn);
    }

    RetryPolicy notRetryingOn(List<String> types) {
        return new RetryPolicy(maxAttempts, backoff, retryOn, types);
    }
}
