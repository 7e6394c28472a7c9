package io.forklift;

import java.time.Duration;
import java.util.Objects;

/**
 * How a client connects. Validated once here, with errors that say what to change. How long results
 * are kept is the workers' setting ({@code --result-ttl}), since they store them.
 *
 * @param redisUri        {@code redis://[user:password@]host:port[/db]} or {@code rediss://…} for TLS
 * @param prefix          key prefix, so several clusters can share one Redis (default {@code forklift:})
 * @param maxPayloadBytes largest task message accepted (default 8 MiB); larger ones throw
 *                        {@link PayloadTooLargeException} before anything is written
 * @param timeout         connect and read timeout of Redis calls (default 2 s)
 * @param submitWait      how long a submit may wait for an unreachable Redis before it fails with
 *                        {@link RedisUnavailableException}; zero (the default) fails at once
 */
public record ForkliftOptions(
        String redisUri, String prefix, int maxPayloadBytes, Duration timeout, Duration submitWait) {
    public static final String DEFAULT_PREFIX = "forklift:";
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;

    public ForkliftOptions {
        Objects.requireNonNull(redisUri, "redisUri (e.g. redis://localhost:6379)");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(submitWait, "submitWait");
        if (maxPayloadBytes < 1024)
            throw new IllegalArgumentException("maxPayloadBytes must be at least 1024, got " + maxPayloadBytes);
        if (timeout.isNegative() || timeout.isZero())
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        if (submitWait.isNegative())
            throw new IllegalArgumentException("submitWait must be zero (fail at once) or positive, got " + submitWait);
    }

    public static ForkliftOptions of(String redisUri) {
        return new ForkliftOptions(
                redisUri, DEFAULT_PREFIX, DEFAULT_MAX_PAYLOAD_BYTES, Duration.ofSeconds(2), Duration.ZERO);
    }

    public ForkliftOptions withPrefix(String prefix) {
        return new ForkliftOptions(redisUri, prefix, maxPayloadBytes, timeout, submitWait);
    }

    public ForkliftOptions withMaxPayloadBytes(int maxPayloadBytes) {
        return new ForkliftOptions(redisUri, prefix, maxPayloadBytes, timeout, submitWait);
    }

    public ForkliftOptions withTimeout(Duration timeout) {
        return new ForkliftOptions(redisUri, prefix, maxPayloadBytes, timeout, submitWait);
    }

    /** Submits made while Redis is unreachable are retried with backoff for up to {@code wait}, then fail. */
    public ForkliftOptions withSubmitWait(Duration wait) {
        return new ForkliftOptions(redisUri, prefix, maxPayloadBytes, timeout, wait);
    }
}
