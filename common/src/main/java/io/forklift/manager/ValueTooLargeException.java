package io.forklift.manager;

import io.forklift.PayloadTooLargeException;

/** A value for a shared object is larger than {@code maxPayloadBytes}; nothing was written. */
public class ValueTooLargeException extends PayloadTooLargeException {
    public ValueTooLargeException(ObjectRef ref, long size, long limit) {
        super("a value for " + ref + " is " + size + " bytes, over the limit of " + limit
                + " bytes (maxPayloadBytes); nothing was written. Store large data elsewhere and share its key");
    }
}
