package io.forklift.coordinator.http;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.manager.SharedArray;
import io.forklift.manager.SharedValue;
import io.forklift.wire.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/** The calls of values and arrays: Python's {@code v.value}, {@code a[i]}, and atomic adds and swaps. */
final class ValueOps {
    private ValueOps() {}

    /**
     * Any JSON as a value's type: a value is typed by its initial's class, and the API reads back
     * whatever JSON a value holds, whoever wrote it.
     */
    record AnyJson(@JsonValue JsonNode node) {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static AnyJson of(JsonNode node) {
            return new AnyJson(node == null ? Json.MAPPER.nullNode() : node);
        }
    }

    static Map<String, ObjectOp> value() {
        Map<String, ObjectOp> ops = new LinkedHashMap<>();
        ops.put("get", ObjectOp.read((m, n, b) -> DataOps.value(v(m, n).get())));
        ops.put("set", ObjectOp.write((m, n, b) -> {
            v(m, n).set(AnyJson.of(b.required("value")), m.fence(b));
            return Map.of();
        }));
        ops.put(
                "get_and_set",
                ObjectOp.write(
                        (m, n, b) -> DataOps.value(v(m, n).getAndSet(AnyJson.of(b.required("value")), m.fence(b)))));
        ops.put("add", ObjectOp.write((m, n, b) -> DataOps.value(v(m, n).addAndGet(b.number("delta"), m.fence(b)))));
        ops.put(
                "compare_and_set",
                ObjectOp.write((m, n, b) -> Map.of(
                        "swapped",
                        v(m, n).compareAndSet(
                                        AnyJson.of(b.required("expect")),
                                        AnyJson.of(b.required("update")),
                                        m.fence(b)))));
        return ops;
    }

    static Map<String, ObjectOp> array() {
        Map<String, ObjectOp> ops = new LinkedHashMap<>();
        ops.put("get", ObjectOp.read((m, n, b) -> DataOps.value(a(m, n).get(b.integer("index", null)))));
        ops.put("set", ObjectOp.write((m, n, b) -> {
            a(m, n).set(b.integer("index", null), b.number("value"));
            return Map.of();
        }));
        ops.put(
                "add",
                ObjectOp.write(
                        (m, n, b) -> DataOps.value(a(m, n).addAndGet(b.integer("index", null), b.number("delta")))));
        ops.put("len", ObjectOp.read((m, n, b) -> Map.of("len", a(m, n).length())));
        ops.put("items", ObjectOp.read((m, n, b) -> {
            SharedArray a = a(m, n);
            return Map.of("typecode", String.valueOf(a.type().typecode()), "items", a.toList());
        }));
        return ops;
    }

    /** An existing value; the initial the opener gives is never written (the name exists when this runs). */
    static SharedValue<AnyJson> v(ObjectCache.Opener m, String n) {
        return m.value(n);
    }

    /** An existing array keeps its own type and length. */
    private static SharedArray a(ObjectCache.Opener m, String n) {
        return m.array(n);
    }
}
