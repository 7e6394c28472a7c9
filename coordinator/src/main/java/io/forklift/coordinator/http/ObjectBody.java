package io.forklift.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.forklift.wire.Json;
import java.time.Duration;

/**
 * The JSON body of a Manager object call, read field by field: each reader throws a 400 naming the
 * field and what it must be, so {@code {"timeout": "soon"}} is answered, never guessed at.
 */
record ObjectBody(JsonNode node, Duration maxWait) {
    static ObjectBody of(Exchange ex, Duration maxWait) {
        JsonNode n = ex.hasBody() ? ex.bodyTree() : Json.MAPPER.createObjectNode();
        if (!n.isObject()) throw ApiException.badRequest("the body must be a JSON object, such as {\"value\": 1}");
        return new ObjectBody(n, maxWait);
    }

    /** A field that must be there (any JSON, null included). */
    JsonNode required(String field) {
        JsonNode v = node.get(field);
        if (v == null) throw ApiException.badRequest("this call needs '" + field + "' in its body");
        return v;
    }

    /** A field that may be absent: null then. */
    JsonNode optional(String field) {
        return node.get(field);
    }

    /** A dict key: a JSON scalar (string, number or boolean), as Java's String/Integer/Long/Double/Boolean. */
    Object key(String field) {
        JsonNode v = required(field);
        if (!v.isValueNode() || v.isNull())
            throw ApiException.badRequest("'" + field + "' must be a string, number or boolean (a JSON scalar), got "
                    + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        return scalar(v);
    }

    static Object scalar(JsonNode v) {
        return v.isTextual() ? v.textValue() : v.isBoolean() ? v.booleanValue() : v.numberValue();
    }

    int integer(String field, Integer otherwise) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (otherwise == null) throw ApiException.badRequest("this call needs '" + field + "' (a whole number)");
            return otherwise;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber())
            throw ApiException.badRequest("'" + field + "' must be a whole number, got " + v);
        return v.intValue();
    }

    Number number(String field) {
        JsonNode v = required(field);
        if (!v.isNumber()) throw ApiException.badRequest("'" + field + "' must be a number, got " + v);
        return v.numberValue();
    }

    boolean bool(String field, boolean otherwise) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return otherwise;
        if (v.getNodeType() != JsonNodeType.BOOLEAN)
            throw ApiException.badRequest("'" + field + "' must be true or false, got " + v);
        return v.booleanValue();
    }

    String text(String field) {
        JsonNode v = required(field);
        if (!v.isTextual()) throw ApiException.badRequest("'" + field + "' must be a string, got " + v);
        return v.textValue();
    }

    /**
     * {@code timeout} in seconds, as Python's calls take it; absent or null waits the longest this
     * coordinator allows ({@code --http-max-wait}), after which the call answers as a timeout does
     * (a client that means "forever" asks again).
     */
    Duration timeout() {
        JsonNode v = node.get("timeout");
        if (v == null || v.isNull()) return maxWait;
        if (!v.isNumber() || v.doubleValue() < 0 || v.doubleValue() > maxWait.toMillis() / 1000.0)
            throw ApiException.badRequest("'timeout' must be seconds from 0 to " + maxWait.toSeconds()
                    + " (this coordinator's --http-max-wait), got " + v);
        return Duration.ofNanos((long) (v.doubleValue() * 1e9));
    }

    /**
     * The fence a write carries, {@code "fence": {"lock": "sale", "token": 12}} (the lock in this
     * manager, or {@code "<manager>/<name>"}), as {@code <manager>/<name>} and token; null when absent.
     */
    Fence fence(String manager) {
        JsonNode v = node.get("fence");
        if (v == null || v.isNull()) return null;
        JsonNode lock = v.get("lock"), token = v.get("token");
        if (!v.isObject()
                || lock == null
                || !lock.isTextual()
                || lock.textValue().isEmpty())
            throw ApiException.badRequest(
                    "'fence' must be {\"lock\": \"<lock name>\", \"token\": <fence acquire" + " answered>}, got " + v);
        if (token == null || !token.isIntegralNumber() || !token.canConvertToLong() || token.longValue() <= 0)
            throw ApiException.badRequest(
                    "'fence.token' must be the positive whole number acquire answered, got " + token);
        String name = lock.textValue().contains("/") ? lock.textValue() : manager + "/" + lock.textValue();
        return new Fence(name, token.longValue());
    }

    record Fence(String lock, long token) {}
}
