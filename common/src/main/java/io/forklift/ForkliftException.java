package io.forklift;

/** Base of every exception Forklift throws; unchecked, as in {@code java.util.concurrent}. */
public class ForkliftException extends RuntimeException {
    public ForkliftException(String message) {
        super(message);
    }

    public ForkliftException(String message, Throwable cause) {
        super(message, cause);
    }
}
