package io.forklift.coordinator.http;

import io.forklift.redis.ObjectKeys;
import io.forklift.redis.ObjectReads;

/**
 * One call on one kind of Manager object ({@code put} on a queue, {@code set} on a dict): whether it
 * changes the object (a read-only token may not make it), how it runs, and the call itself, which
 * answers a JSON-able value. A call that may wait is parked ({@code park}: it names the key that
 * lets it through and a non-blocking attempt, and waits on {@link ReadySignals} with no thread).
 */
record ObjectOp(boolean write, Call call, Park park) {
    @FunctionalInterface
    interface Call {
        Object call(ObjectCache.Opener manager, String name, ObjectBody body) throws Exception;
    }

    /** How a parked call waits: opens the object (errors now, before any wait) and says on what. */
    @FunctionalInterface
    interface Park {
        ParkedCall.Wait open(ObjectCache.Opener manager, String name, ObjectBody body, Where where) throws Exception;
    }

    /** The object's Redis keys, and a reader of them for an attempt's plain checks (LLEN of a flag). */
    record Where(ObjectKeys keys, ObjectReads reads) {}

    static ObjectOp read(Call call) {
        return new ObjectOp(false, call, null);
    }

    static ObjectOp write(Call call) {
        return new ObjectOp(true, call, null);
    }

    /** A call that waits parked, costing no thread: see {@link ParkedCall}. */
    static ObjectOp parked(boolean write, Park park) {
        return new ObjectOp(write, null, park);
    }
}
