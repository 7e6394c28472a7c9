package io.forklift.coordinator.http;

import io.forklift.manager.CorruptValueException;
import io.forklift.manager.ObjectDeletedException;
import io.forklift.manager.QueueEmptyException;
import io.forklift.manager.QueueFullException;
import io.forklift.manager.StaleFenceException;
import io.forklift.manager.ValueTooLargeException;
import io.forklift.manager.WrongKindException;

/**
 * What the Manager's exceptions mean over HTTP: the outcome Python raises ({@code queue.Empty},
 * {@code queue.Full}) as a 409 whose {@code error} names it, so a client in any language raises its
 * own; a name of another kind as a 409; a value over the limit as a 413. The message is the
 * Manager's own, which says what to do.
 */
final class ObjectErrors {
    private ObjectErrors() {}

    /** The answer for {@code e}; what is not the Manager's is answered as every route's is. */
    static ApiException toApi(Throwable e) {
        if (e instanceof QueueEmptyException) return new ApiException(409, "empty", e.getMessage());
        if (e instanceof QueueFullException) return new ApiException(409, "full", e.getMessage());
        if (e instanceof WrongKindException) return new ApiException(409, "wrong_kind", e.getMessage());
        if (e instanceof ObjectDeletedException) return ApiException.notFound(e.getMessage());
        if (e instanceof ValueTooLargeException) return new ApiException(413, "payload_too_large", e.getMessage());
        if (e instanceof CorruptValueException) return new ApiException(409, "corrupt_value", e.getMessage());
        if (e instanceof StaleFenceException s)
            return new ApiException(409, "stale_fence", e.getMessage(), java.util.Map.of("newest", s.newest()));
        if (e instanceof java.util.concurrent.BrokenBarrierException
                || e instanceof java.util.concurrent.TimeoutException)
            return new ApiException(409, "broken", e.getMessage());
        if (e instanceof java.io.EOFException) return new ApiException(409, "eof", e.getMessage());
        if (e instanceof io.forklift.manager.PipeRefusedException p)
            return new ApiException(409, p.code(), e.getMessage());
        if (e instanceof IllegalMonitorStateException) return new ApiException(409, "not_held", e.getMessage());
        if (e instanceof IndexOutOfBoundsException) return new ApiException(400, "bad_index", e.getMessage());
        if (e instanceof IllegalStateException) return new ApiException(409, "conflict", e.getMessage());
        return ApiHandler.toApi(e);
    }
}
