package io.forklift;

import io.forklift.wire.Authkey;
import java.time.Duration;
import java.util.Objects;

/**
 * How a client connects. Validated once here, with errors that say what to change. How long results
 * are kept is the workers' setting ({@code --result-ttl}), since they store them.
 *
 * @param redisUri        {@code redis://[user:password@]host:port[/db]} or {@code rediss://…} for TLS, or
 *                        {@code redis+cluster://host:port[,host:port…]} for a Redis Cluster (any one node)
 * @param prefix          key prefix, so several clusters can share one Redis (default {@code forklift:})
 * @param maxPayloadBytes largest task message accepted (default 8 MiB); larger ones throw
 *                        {@link PayloadTooLargeException} before anything is written
 * @param timeout         connect and read timeout of Redis calls (default 2 s)
 * @param submitWait      how long a submit may wait for an unreachable Redis before it fails with
 *                        {@link RedisUnavailableException}; zero (the default) fails at once
 * @param authkey         the cluster secret that signs task messages and verifies replies (Python's
 *                        {@code authkey}); by default from {@code FORKLIFT_AUTHKEY}; null runs unsigned
 * @param messageTtl      how long a submitted task message stays valid (default one day): a worker
 *                        refuses it after that, and a copy pushed again after it ran is refused until then
 */
public record ForkliftOptions(
        String redisUri,
        String prefix,
        int maxPayloadBytes,
        Duration timeout,
        Duration submitWait,
        Authkey authkey,
        Duration messageTtl) {
    public static final String DEFAULT_PREFIX = "forklift:";
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;
    public static final Duration DEFAULT_MESSAGE_TTL = Duration.ofDays(1);

    public ForkliftOptions {
        Objects.requireNonNull(redisUri, "redisUri (e.g. redis://localhost:6379)");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(submitWait, "submitWait");
        Objects.requireNonNull(messageTtl, "messageTtl");
        if (maxPayloadBytes < 1024)
            throw new IllegalArgumentException("maxPayloadBytes must be at least 1024, got " + maxPayloadBytes);
        if (timeout.isNegative() || timeout.isZero())
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        if (submitWait.isNegative())
            throw new IllegalArgumentException("submitWait must be zero (fail at once) or positive, got " + submitWait);
        if (messageTtl.compareTo(Duration.ofMinutes(1)) < 0)
            throw new IllegalArgumentException("messageTtl must be at least a minute, got " + messageTtl);
    }

    /** Options for the Redis at {@code redisUri}, signing with the authkey in {@code FORKLIFT_AUTHKEY} if it is set. */
    public static ForkliftOptions of(String redisUri) {
        return new ForkliftOptions(
                redisUri,
                DEFAULT_PREFIX,
                DEFAULT_MAX_PAYLOAD_BYTES,
                Duration.ofSeconds(2),
                Duration.ZERO,
                Authkey.fromEnvironment(),
                DEFAULT_MESSAGE_TTL);
    }

    public ForkliftOptions withPrefix(String prefix) {
        return new ForkliftOptions(redisUri, prefix, maxPayloadBytes, timeout, submitWait, authkey, messageTtl);
    }

    public ForkliftOptions withMaxPayloadBytes(int maxPayloadBytes) {
        return new ForkliftOptions(redisUri, prefix, maxPayloadBytes, timeout, submitWait, authkey, messageTtl);
    }

    public ForkliftOptions withTimeout(Duration timeout) {
        return new ForkliftOptions(redisUri, prefix, maxPayloadBytes, timeout, submitWait, authkey, messageTtl);
    }

    /** Submits made while Redis is unreachable are retried with backoff for up to {@code wait}, then fail. */
    public ForkliftOptions withSubmitWait(Duration wait) {
        return new ForkliftOptions(redisUri, prefix, maxPayloadBytes, timeout, wait, authkey, messageTtl);
    }

    /** Signs with {@code authkey} (the workers must hold it too); null submits unsigned messages. */
    public ForkliftOptions withAuthkey(Authkey authkey) {
        return new ForkliftOptions(redisUri, prefix, maxPayloadBytes, timeout, submitWait, authkey, messageTtl);
    }

    public ForkliftOptions withMessageTtl(Duration messageTtl) {
        return new ForkliftOptions(redisUri, prefix, maxPayloadBytes, timeout, submitWait, authkey, messageTtl);
    }
}
