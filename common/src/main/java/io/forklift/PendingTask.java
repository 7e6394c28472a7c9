package io.forklift;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.wire.Json;

/**
 * A submitted task the client waits for: its result, how to read the result's JSON, and the pool
 * that counts it. Registered with the reply router before the task is stored.
 */
final class PendingTask<R> {
    final AsyncResult<R> result;
    final Pool pool;
    private final String taskName;
    private final JavaType type;

    PendingTask(AsyncResult<R> result, Pool pool, String taskName, JavaType type) {
        this.result = result;
        this.pool = pool;
        this.taskName = taskName;
        this.type = type;
    }

    /** The task's result arrived: decode it and settle. */
    void succeed(JsonNode value) {
        R decoded;
        try {
            decoded = Json.MAPPER.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            fail(new ForkliftException("the result of " + taskName + " (task " + result.id() + ") cannot be read as " + type + ": " + e.getMessage(), e));
            return;
        }
        result.settle(decoded, null);
        pool.ended();
    }

    void fail(Throwable error) {
        result.settle(null, error);
        pool.ended();
    }
}
