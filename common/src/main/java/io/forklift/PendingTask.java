package io.forklift;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.wire.Json;

/**
 * A submitted task the client waits for: its result, how to read the result's JSON, and the pool
 * whose lifecycle counts it. Registered with the reply router before the task is stored.
 */
final class PendingTask<R> {
    final AsyncResult<R> result;
    final PoolLifecycle pool;
    private final String taskName;
    private final JavaType type;

    PendingTask(AsyncResult<R> result, PoolLifecycle pool, String taskName, JavaType type) {
        this.result = result;
        this.pool = pool;
        this.taskName = taskName;
        this.type = type;
    }

    /** Whether settling must happen on the callback thread. */
    boolean hasCallbacks() {
        return result.hasCallbacks();
    }

    /** The work that settles this task with its result, to run where {@link #hasCallbacks()} says. */
    Runnable succeed(JsonNode value) {
        R decoded;
        try {
            decoded = Json.MAPPER.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            return fail(new ForkliftException(
                    "the result of " + taskName + " (task " + result.id() + ") cannot be read as " + type + ": "
                            + e.getMessage(),
                    e));
        }
        return () -> {
            result.settleHere(decoded, null);
            pool.ended();
        };
    }

    /** The work that settles this task with an error. */
    Runnable fail(Throwable error) {
        return () -> {
            result.settleHere(null, error);
            pool.ended();
        };
    }
}
