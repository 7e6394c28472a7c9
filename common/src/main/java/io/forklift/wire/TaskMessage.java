package io.forklift.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.forklift.RetryPolicy;
import java.io.IOException;

/**
 * A task as it is stored in Redis and handed to a child: which task to run, its arguments, and how
 * it runs. Holds the one set of shape rules. A worker reads it without its arguments
 * ({@link #readWithoutArgs}); the child that runs it reads it whole.
 *
 * @param v           wire version; a worker dead-letters a version it does not know as {@code schema}
 * @param id          unique task id, chosen by the submitter ({@code <client id>-<sequence>})
 * @param queue       queue the task was submitted to
 * @param task        registered task name (the task class's binary name, or a built-in such as {@code exec})
 * @param args        the arguments: one element for {@code apply}, several for a chunk of {@code map};
 *                    null when read without them
 * @param chunked     true when {@code args} is a chunk whose results come back as one array
 * @param client      the submitting client's id; its reply list receives the result
 * @param timeoutMs   hard limit on the run, after which the worker kills the child's process tree; 0 = none
 * @param retry       how a failing run runs again
 * @param submittedAt when it was submitted, in epoch milliseconds by the submitter's clock (as
 *                    Sidekiq's {@code enqueued_at}); workers measure queue wait from it; 0 = unknown
 * @param process     set when the task is a Process ({@code fl.process(...)}); null for a pool task
 *
 * <p>Fields at their defaults (not chunked, no time limit, no retries, no process) are left out of the
 * stored JSON: every message crosses Redis, a worker and a child, and a reader takes a missing field as
 * its default.
 */
public record TaskMessage(
        int v,
        String id,
        String queue,
        String task,
        ArrayNode args,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean chunked,
        String client,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long timeoutMs,

        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = NoRetries.class)
        RetryPolicy retry,

        long submittedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) ProcessSpec process) {
    public static final int VERSION = 2;

    /** Jackson's filter that leaves {@link RetryPolicy#NONE} out of the JSON (it is what a missing field reads as). */
    static final class NoRetries {
        @Override
        public boolean equals(Object value) {
            return RetryPolicy.NONE.equals(value);
        }

        @Override
        public int hashCode() {
            return RetryPolicy.NONE.hashCode();
        }
    }

    public TaskMessage {
        if (retry == null) retry = RetryPolicy.NONE;
    }

    /** A pool task's message: no process part. */
    public TaskMessage(
            int v,
            String id,
            String queue,
            String task,
            ArrayNode args,
            boolean chunked,
            String client,
            long timeoutMs,
            RetryPolicy retry,
            long submittedAt) {
        this(v, id, queue, task, args, chunked, client, timeoutMs, retry, submittedAt, null);
    }

    /** The submitting client of a task id as Forklift makes them ({@code <client id>-<sequence>}); null for another shape. */
    public static String clientOf(String taskId) {
        int dash = taskId == null ? -1 : taskId.lastIndexOf('-');
        return dash > 0 ? taskId.substring(0, dash) : null;
    }

    /** The single argument of an unchunked task. */
    public JsonNode arg() {
        return args.get(0);
    }

    /** Checks the shape a child relies on; throws {@link IllegalArgumentException} naming what is wrong. */
    public TaskMessage validate() {
        checkArgCount(args == null ? -1 : args.size(), chunked);
        return validateAllButArgs();
    }

    private TaskMessage validateAllButArgs() {
        if (v != VERSION) {
            throw new IllegalArgumentException("unknown wire version " + v + " (this worker speaks " + VERSION + ")");
        }
        requireText("id", id);
        requireText("queue", queue);
        requireText("task", task);
        requireText("client", client);
        if (timeoutMs < 0) {
            throw new IllegalArgumentException("timeoutMs must be a whole number of milliseconds, 0 for none");
        }
        return this;
    }

    /**
     * Reads a message without building its arguments, streaming past them (a worker routes a
     * message it never runs itself); their count is checked on the way, {@code args} is null in the
     * result. Throws {@link JsonProcessingException} if it is not JSON, {@link IllegalArgumentException}
     * if it has the wrong shape.
     */
    public static TaskMessage readWithoutArgs(String json) throws IOException {
        int v = 0, argCount = -1;
        long timeoutMs = 0, submittedAt = 0;
        String id = null, queue = null, task = null, client = null;
        boolean chunked = false;
        RetryPolicy retry = null;
        ProcessSpec process = null;
        try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a task message must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "v" -> v = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
                    case "id" -> id = text(p, value);
                    case "queue" -> queue = text(p, value);
                    case "task" -> task = text(p, value);
                    case "client" -> client = text(p, value);
                    case "chunked" -> chunked = value == JsonToken.VALUE_TRUE;
                    case "args" -> argCount = count(p, value);
                    case "timeoutMs" -> timeoutMs = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                    case "retry" -> retry = retry(p, value);
                    case "process" -> process = process(p, value);
                    case "submittedAt" ->
                        submittedAt = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : 0; // informs a metric
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) throw new IllegalArgumentException("trailing data after the task message");
        }
        checkArgCount(argCount, chunked);
        return new TaskMessage(v, id, queue, task, null, chunked, client, timeoutMs, retry, submittedAt, process)
                .validateAllButArgs();
    }

    private static void checkArgCount(int count, boolean chunked) {
        if (count < 0) throw new IllegalArgumentException("args is missing");
        if (!chunked && count != 1) {
            throw new IllegalArgumentException("an unchunked task takes exactly one argument, got " + count);
        }
    }

    private static RetryPolicy retry(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) return null;
        try {
            return Json.MAPPER.readValue(p, RetryPolicy.class);
        } catch (JsonMappingException wrongShape) {
            throw new IllegalArgumentException("retry has the wrong shape: " + wrongShape.getOriginalMessage());
        }
    }

    private static ProcessSpec process(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) return null;
        try {
            return Json.MAPPER.readValue(p, ProcessSpec.class);
        } catch (JsonMappingException wrongShape) {
            throw new IllegalArgumentException("process has the wrong shape: " + wrongShape.getOriginalMessage());
        }
    }

    private static String text(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) return p.getText();
        p.skipChildren();
        return null;
    }

    private static int count(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            p.skipChildren();
            return -1;
        }
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            p.skipChildren();
            n++;
        }
        return n;
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(field + " is missing");
    }
}
