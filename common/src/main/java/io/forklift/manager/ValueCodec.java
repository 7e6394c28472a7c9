package io.forklift.manager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.forklift.wire.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Turns values into the JSON text shared objects store, and back. Checks before anything is
 * written: a value Jackson cannot write (or would write as an empty object, such as a class with no
 * properties), NaN and infinities, and values over {@code maxPayloadBytes}. Dict keys must be JSON
 * scalars (string, number, boolean); their JSON text is the Redis hash field.
 */
final class ValueCodec {
    private static final ObjectWriter WRITER = Json.MAPPER.writer().with(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    static final JavaType OBJECT = Json.MAPPER.constructType(Object.class);

    private final int maxBytes;

    ValueCodec(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    int maxBytes() {
        return maxBytes;
    }

    String encode(Object value, ObjectRef where) {
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())
                || value instanceof Float f && (f.isNaN() || f.isInfinite())) {
            throw new IllegalArgumentException(value + " cannot be written as JSON (" + where + " holds JSON values)");
        }
        String json;
        try {
            json = WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "a value of type " + value.getClass().getName() + " cannot be written as JSON for " + where + ": "
                            + e.getOriginalMessage() + "; use records, collections, strings, numbers and booleans",
                    e);
        }
        if (json.length() * 3L > maxBytes) {
            int bytes = json.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxBytes) throw new ValueTooLargeException(where, bytes, maxBytes);
        }
        return json;
    }

    List<String> encodeAll(Collection<?> values, ObjectRef where) {
        List<String> out = new ArrayList<>(values.size());
        for (Object v : values) out.add(encode(v, where));
        return out;
    }

    /** A dict key as its hash field: the JSON text of a string, number or boolean. */
    String encodeKey(Object key, ObjectRef where) {
        if (key == null) throw new NullPointerException("a key of " + where + " cannot be null (None)");
        if (!(key instanceof CharSequence
                || key instanceof Number
                || key instanceof Boolean
                || key instanceof Enum<?>)) {
            throw new IllegalArgumentException("keys of " + where + " are JSON scalars (string, number, boolean); a "
                    + key.getClass().getName() + " is not one");
        }
        return encode(key, where);
    }

    <T> T decode(String json, JavaType type, String key) {
        if (json == null) return null;
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new CorruptValueException(key, json, e);
        }
    }
}
