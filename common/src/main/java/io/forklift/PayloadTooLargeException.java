package io.forklift;

/** A task message is larger than {@link ForkliftOptions#maxPayloadBytes()}; nothing was written to Redis. */
public class PayloadTooLargeException extends ForkliftException {
    public PayloadTooLargeException(String queue, long size, long limit) {
        super("task for queue '" + queue + "' is " + size + " bytes, over the limit of " + limit
                + " bytes; pass large data by reference (a URL or a key) or raise maxPayloadBytes");
    }

    /** For payloads other than task messages (a shared object's value), with their own message. */
    protected PayloadTooLargeException(String message) {
        super(message);
    }
}
