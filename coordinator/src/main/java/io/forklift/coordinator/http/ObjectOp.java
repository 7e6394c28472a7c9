package io.forklift.coordinator.http;

/**
 * One call on one kind of Manager object ({@code put} on a queue, {@code set} on a dict): whether it
 * changes the object (a read-only token may not make it), whether it may block (then it runs on the
 * waiters' pool, not on a request thread), and the call itself, which answers a JSON-able value.
 */
record ObjectOp(boolean write, boolean blocks, Call call) {
    @FunctionalInterface
    interface Call {
        Object call(ObjectCache.Opener manager, String name, ObjectBody body) throws Exception;
    }

    static ObjectOp read(Call call) {
        return new ObjectOp(false, false, call);
    }

    static ObjectOp write(Call call) {
        return new ObjectOp(true, false, call);
    }

    /** A call that may block up to its timeout. */
    static ObjectOp blocking(boolean write, Call call) {
        return new ObjectOp(write, true, call);
    }
}
