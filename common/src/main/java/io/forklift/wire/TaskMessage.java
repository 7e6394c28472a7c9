package io.forklift.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

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
 */
public record TaskMessage(int v, String id, String queue, String task, ArrayNode args, boolean chunked, String client) {
    public static final int VERSION = 1;

    /** Checks the shape a worker relies on; throws {@link IllegalArgumentException} naming what is wrong. */
    public TaskMessage validate() {
        if (v != VERSION) throw new IllegalArgumentException("unknown wire version " + v + " (this worker speaks " + VERSION + ")");
        requireText("id", id);
        requireText("queue", queue);
        requireText("task", task);
        requireText("client", client);
        if (args == null) throw new IllegalArgumentException("args is missing");
        if (!chunked && args.size() != 1) throw new IllegalArgumentException("an unchunked task takes exactly one argument, got " + args.size());
        return this;
    }

    /** The single argument of an unchunked task. */
    public JsonNode arg() {
        return args.get(0);
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(field + " is missing");
    }
}
