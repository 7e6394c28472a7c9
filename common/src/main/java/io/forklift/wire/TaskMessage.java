package io.forklift.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/**
 * A task as it is stored in Redis and handed to a child: which task to run and its arguments.
 *
 * @param v       wire version; a worker dead-letters a version it does not know as {@code schema}
 * @param id      unique task id, chosen by the submitter
 * @param queue   queue the task was submitted to
 * @param task    registered task name (the task class's binary name, or a built-in such as {@code exec})
 * @param args    the arguments: one element for {@code apply}, several for a chunk of {@code map}
 * @param chunked true when {@code args} is a chunk whose results come back as one array
 * @param client  the submitting client's id; its reply list receives the result
 * @param timeoutMs hard limit on the run, after which the worker kills the child's process tree; 0 = none
 * @param maxAttempts runs a failing task gets before it is dead-lettered; 0 or 1 = no retries
 * @param backoffMs first retry delay; each later one doubles it, with jitter
 * @param retryOn   exception class names: only failures of these (or subclasses) retry; empty = all
 * @param noRetryOn exception class names whose failures (or subclasses') never retry
 * @param submittedAt when it was submitted, in epoch milliseconds by the submitter's clock (as
 *                    Sidekiq's {@code enqueued_at}); workers measure queue wait from it; 0 = unknown
 */
public record TaskMessage(
        int v,
        String id,
        String queue,
        String task,
        ArrayNode args,
        boolean chunked,
        String client,
        long timeoutMs,
        int maxAttempts,
        long backoffMs,
        List<String> retryOn,
        List<String> noRetryOn,
        long submittedAt) {
    public static final int VERSION = 1;

    /** Checks the shape a worker relies on (see {@link TaskHeader#validate()}); returns this. */
    public TaskMessage validate() {
        new TaskHeader(
                        v,
                        id,
                        queue,
                        task,
                        chunked,
                        client,
                        args == null ? -1 : args.size(),
                        timeoutMs,
                        maxAttempts,
                        backoffMs,
                        retryOn == null ? List.of() : retryOn,
                        noRetryOn == null ? List.of() : noRetryOn,
                        submittedAt)
                .validate();
        return this;
    }

    /** The single argument of an unchunked task. */
    public JsonNode arg() {
        return args.get(0);
    }
}
