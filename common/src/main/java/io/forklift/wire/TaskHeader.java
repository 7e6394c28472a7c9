package io.forklift.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of a {@link TaskMessage} that routing needs, read by streaming past the arguments,
 * so a worker can check a message without building its arguments. Holds the one set of shape rules.
 *
 * @param argCount  number of arguments; -1 when {@code args} is missing or not an array
 * @param timeoutMs hard time limit of a run; 0 = none
 * @param maxAttempts runs a failing task gets; 0 or 1 = no retries
 * @param backoffMs first retry delay
 * @param retryOn   exception class names whose failures retry; empty = all; null when not a list of names
 * @param noRetryOn exception class names whose failures never retry; null when not a list of names
 * @param submittedAt submit time in epoch milliseconds by the submitter's clock; 0 = unknown
 */
public record TaskHeader(
        int v,
        String id,
        String queue,
        String task,
        boolean chunked,
        String client,
        int argCount,
        long timeoutMs,
        int maxAttempts,
        long backoffMs,
        List<String> retryOn,
        List<String> noRetryOn,
        long submittedAt) {

    /** Reads the header of a message; throws {@link JsonProcessingException} if it is not JSON. */
    public static TaskHeader read(String json) throws IOException {
        int v = 0, argCount = -1;
        long timeoutMs = 0, backoffMs = 0, submittedAt = 0;
        int maxAttempts = 0;
        String id = null, queue = null, task = null, client = null;
        boolean chunked = false;
        List<String> retryOn = List.of(), noRetryOn = List.of();
        try (JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT)
                throw new IllegalArgumentException("a task message must be a JSON object");
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
                    case "maxAttempts" -> maxAttempts = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
                    case "backoffMs" -> backoffMs = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                    case "retryOn" -> retryOn = names(p, value);
                    case "noRetryOn" -> noRetryOn = names(p, value);
                    case "submittedAt" ->
                        submittedAt =
                                value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : 0; // only informs a metric
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) throw new IllegalArgumentException("trailing data after the task message");
        }
        return new TaskHeader(
                v,
                id,
                queue,
                task,
                chunked,
                client,
                argCount,
                timeoutMs,
                maxAttempts,
                backoffMs,
                retryOn,
                noRetryOn,
                submittedAt);
    }

    /** Checks the shape a worker relies on; throws {@link IllegalArgumentException} naming what is wrong. */
    public TaskHeader validate() {
        if (v != TaskMessage.VERSION)
            throw new IllegalArgumentException(
                    "unknown wire version " + v + " (this worker speaks " + TaskMessage.VERSION + ")");
        requireText("id", id);
        requireText("queue", queue);
        requireText("task", task);
        requireText("client", client);
        if (argCount < 0) throw new IllegalArgumentException("args is missing");
        if (!chunked && argCount != 1)
            throw new IllegalArgumentException("an unchunked task takes exactly one argument, got " + argCount);
        if (timeoutMs < 0)
            throw new IllegalArgumentException("timeoutMs must be a whole number of milliseconds, 0 for none");
        if (maxAttempts < 0 || backoffMs < 0)
            throw new IllegalArgumentException("maxAttempts and backoffMs must be 0 or more");
        if (retryOn == null || noRetryOn == null)
            throw new IllegalArgumentException("retryOn and noRetryOn must be lists of exception class names");
        return this;
    }

    /** The delay before the next run after a failed {@code attempt}: backoff doubled per attempt, capped, with jitter in [half, full]. */
    public long retryDelayMs(int attempt, double random) {
        long step = Math.min(MAX_BACKOFF_MS, backoffMs << Math.min(30, Math.max(0, attempt - 1)));
        return step / 2 + (long) (random * (step / 2 + 1));
    }

    /** Whether a run that failed as {@code attempt} with {@code error} gets another. */
    public boolean retries(int attempt, RemoteError error) {
        return attempt < maxAttempts
                && (retryOn.isEmpty() || retryOn.stream().anyMatch(error::isA))
                && noRetryOn.stream().noneMatch(error::isA);
    }

    private static final long MAX_BACKOFF_MS = 10 * 60 * 1000;

    private static String text(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) return p.getText();
        p.skipChildren();
        return null;
    }

    /** A JSON array of strings; null for anything else, which {@link #validate()} rejects. */
    private static List<String> names(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) return List.of();
        if (value != JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        List<String> names = new ArrayList<>();
        boolean allText = true;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == JsonToken.VALUE_STRING) names.add(p.getText());
            else {
                allText = false;
                p.skipChildren();
            }
        }
        return allText ? names : null;
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
