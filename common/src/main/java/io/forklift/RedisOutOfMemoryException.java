package io.forklift;

/**
 * Redis refused a write because it is at its {@code maxmemory} (policy {@code noeviction}); the
 * refused script wrote nothing. Raise maxmemory or drain queues, then submit again.
 */
public class RedisOutOfMemoryException extends ForkliftException {
    public RedisOutOfMemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
