package io.forklift.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * The fields of a {@link TaskMessage} that routing needs, read by streaming past the arguments,
 * so a worker can check a message without building its arguments. Holds the one set of shape rules.
 *
 * @param argCount  number of arguments; -1 when {@code args} is missing or not an array
 * @param timeoutMs hard time limit of a run; 0 = none
 */
public record TaskHeader(int v, String id, String queue, String task, boolean chunked, String client, int argCount, long timeoutMs) {

    /** Reads the header of a message; throws {@link JsonProcessingException} if it is not JSON. */
    public static TaskHeader read(String json) throws IOException {
        int v = 0, argCount = -1;
        long timeoutMs = 0;
        String id = null, queue = null, task = null, client = null;
        boolean chunked = false;
        try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalArgumentException("a task message must be a JSON object");
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
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) throw new IllegalArgumentException("trailing data after the task message");
        }
        return new TaskHeader(v, id, queue, task, chunked, client, argCount, timeoutMs);
    }

    /** Checks the shape a worker relies on; throws {@link IllegalArgumentException} naming what is wrong. */
    public TaskHeader validate() {
        if (v != TaskMessage.VERSION) throw new IllegalArgumentException("unknown wire version " + v + " (this worker speaks " + TaskMessage.VERSION + ")");
        requireText("id", id);
        requireText("queue", queue);
        requireText("task", task);
        requireText("client", client);
        if (argCount < 0) throw new IllegalArgumentException("args is missing");
        if (!chunked && argCount != 1) throw new IllegalArgumentException("an unchunked task takes exactly one argument, got " + argCount);
        if (timeoutMs < 0) throw new IllegalArgumentException("timeoutMs must be a whole number of milliseconds, 0 for none");
        return this;
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
