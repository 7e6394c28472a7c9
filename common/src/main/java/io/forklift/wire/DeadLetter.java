package io.forklift.wire;

/**
 * A task that will not run again, as kept on its queue's dead list for inspection and retry.
 *
 * @param id      the task id (for a message that could not be read, the id it was queued under)
 * @param queue   the queue it came from
 * @param reason  why: {@code invalid_json}, {@code schema}, {@code unknown_task}, …
 * @param error   the error the submitter was sent
 * @param message the task message exactly as it was stored, so nothing is lost
 * @param worker  the worker that gave up on it
 * @param attempt the attempt that ended it
 * @param pool    the capped pool ({@code fl.pool(q, n)}) it was submitted through, null for none: a retry
 *                runs it under that pool's cap again while the pool is open
 */
public record DeadLetter(
        String id,
        String queue,
        String reason,
        RemoteError error,
        String message,
        String worker,
        int attempt,
        String pool) {}
