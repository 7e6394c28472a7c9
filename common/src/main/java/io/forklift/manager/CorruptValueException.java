package io.forklift.manager;

import io.forklift.ForkliftException;

/**
 * A value read from a shared object is not JSON (written into its key from outside Forklift). The
 * object keeps working for its other values; for a queue or pipe, the bad value was taken off it.
 */
public class CorruptValueException extends ForkliftException {
    public CorruptValueException(String key, String raw, Throwable cause) {
        super(
                "the value read from Redis key " + key + " is not JSON ("
                        + (cause.getMessage() == null
                                ? cause
                                : cause.getMessage().lines().findFirst().orElse(""))
                        + "); it begins " + quote(raw) + ". Only Forklift should write these keys",
                cause);
    }

    private static String quote(String raw) {
        String s = raw.length() > 60 ? raw.substring(0, 60) + "…" : raw;
        return "'" + s.replace("\n", "\\n") + "'";
    }
}
