package io.forklift;

/** Redis did not answer; what was being done did not happen (a submit was not stored). */
public class RedisUnavailableException extends ForkliftException {
    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
