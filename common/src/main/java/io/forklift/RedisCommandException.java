package io.forklift;

/** Redis answered with an error (other than being unreachable or out of memory); the message is Redis's. */
public class RedisCommandException extends ForkliftException {
    public RedisCommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
