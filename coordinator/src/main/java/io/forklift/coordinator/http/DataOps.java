package io.forklift.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.forklift.manager.SharedList;
import io.forklift.manager.SharedMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The calls of dicts, lists and namespaces, with Python's names: a dict's keys are JSON scalars
 * ({@code 1} and {@code "1"} differ, as in Python); {@code items} answers pairs, so non-string keys
 * survive the trip. A missing key or index is a 404 or 400 naming it, as Python raises KeyError or
 * IndexError.
 */
final class DataOps {
    private DataOps() {}

    static Map<String, ObjectOp> dict() {
        Map<String, ObjectOp> ops = new LinkedHashMap<>();
        ops.put("get", ObjectOp.read((m, n, b) -> {
            SharedMap<Object, JsonNode> d = d(m, n);
            Object key = b.key("key");
            JsonNode v = d.get(key);
            if (v == null && !d.containsKey(key)) {
                JsonNode otherwise = b.optional("default");
                if (otherwise == null) throw noKey(key);
                return value(otherwise);
            }
            return value(v);
        }));
        ops.put("set", ObjectOp.write((m, n, b) -> {
            d(m, n).put(b.key("key"), b.required("value"), m.fence(b));
            return Map.of();
        }));
        ops.put("setdefault", ObjectOp.write((m, n, b) -> {
            JsonNode before = d(m, n).putIfAbsent(b.key("key"), b.required("value"));
            return value(before == null ? b.required("value") : before);
        }));
        ops.put("pop", ObjectOp.write((m, n, b) -> {
            SharedMap<Object, JsonNode> d = d(m, n);
            Object key = b.key("key");
            if (!d.containsKey(key)) {
                JsonNode otherwise = b.optional("default");
                if (otherwise == null) throw noKey(key);
                return value(otherwise);
            }
            return value(d.remove(key, m.fence(b)));
        }));
        ops.put("update", ObjectOp.write((m, n, b) -> {
            SharedMap<Object, JsonNode> d = d(m, n);
            JsonNode items = b.required("items");
            if (!items.isObject()) throw ApiException.badRequest("'items' must be a JSON object of keys to values");
            Map<Object, JsonNode> all = new LinkedHashMap<>();
            items.fields().forEachRemaining(e -> all.put(e.getKey(), e.getValue()));
            d.putAll(all);
            return Map.of("len", d.size());
        }));
        ops.put("contains", ObjectOp.read((m, n, b) -> Map.of("contains", d(m, n).containsKey(b.key("key")))));
        ops.put("len", ObjectOp.read((m, n, b) -> Map.of("len", d(m, n).size())));
        ops.put("items", ObjectOp.read((m, n, b) -> items(d(m, n))));
        ops.put("clear", ObjectOp.write((m, n, b) -> {
            d(m, n).clear();
            return Map.of();
        }));
        return ops;
    }

    static Map<String, ObjectOp> list() {
        Map<String, ObjectOp> ops = new LinkedHashMap<>();
        ops.put("append", ObjectOp.write((m, n, b) -> {
            SharedList<JsonNode> l = l(m, n);
            l.add(b.required("value"), m.fence(b));
            return Map.of();
        }));
        ops.put("extend", ObjectOp.write((m, n, b) -> {
            JsonNode values = b.required("values");
            if (!values.isArray()) throw ApiException.badRequest("'values' must be a JSON array");
            List<JsonNode> all = new ArrayList<>();
            values.forEach(all::add);
            l(m, n).addAll(all);
            return Map.of();
        }));
        ops.put("insert", ObjectOp.write((m, n, b) -> {
            l(m, n).add(b.integer("index", null), b.required("value"));
            return Map.of();
        }));
        ops.put("get", ObjectOp.read((m, n, b) -> value(l(m, n).get(b.integer("index", null)))));
        ops.put("set", ObjectOp.write((m, n, b) -> {
            l(m, n).set(b.integer("index", null), b.required("value"), m.fence(b));
            return Map.of();
        }));
        ops.put("pop", ObjectOp.write((m, n, b) -> {
            SharedList<JsonNode> l = l(m, n);
            return value(l.remove(b.integer("index", l.size() - 1)));
        }));
        ops.put("reverse", ObjectOp.write((m, n, b) -> {
            l(m, n).reverse();
            return Map.of();
        }));
        ops.put("len", ObjectOp.read((m, n, b) -> Map.of("len", l(m, n).size())));
        ops.put("items", ObjectOp.read((m, n, b) -> Map.of("items", l(m, n).snapshot())));
        ops.put("clear", ObjectOp.write((m, n, b) -> {
            l(m, n).clear();
            return Map.of();
        }));
        return ops;
    }

    static Map<String, ObjectOp> namespace() {
        Map<String, ObjectOp> ops = new LinkedHashMap<>();
        ops.put("get", ObjectOp.read((m, n, b) -> {
            String attr = b.text("name");
            if (!m.namespace(n).has(attr)) {
                throw new ApiException(404, "no_attribute", "namespace '" + n + "' has no attribute '" + attr + "'");
            }
            return value(m.namespace(n).get(attr, JsonNode.class));
        }));
        ops.put("set", ObjectOp.write((m, n, b) -> {
            m.namespace(n).set(b.text("name"), b.required("value"), m.fence(b));
            return Map.of();
        }));
        ops.put(
                "delete",
                ObjectOp.write((m, n, b) -> Map.of("deleted", m.namespace(n).delete(b.text("name")))));
        ops.put(
                "items",
                ObjectOp.read((m, n, b) -> Map.of("attributes", m.namespace(n).toMap())));
        return ops;
    }

    private static SharedMap<Object, JsonNode> d(ObjectCache.Opener m, String n) {
        return m.dict(n);
    }

    private static SharedList<JsonNode> l(ObjectCache.Opener m, String n) {
        return m.list(n);
    }

    /** {@code {"items": [[key, value], …]}}: pairs, so a key 1 stays a number. */
    static Map<String, Object> items(SharedMap<Object, JsonNode> d) {
        List<List<Object>> pairs = new ArrayList<>();
        d.entrySet().forEach(e -> pairs.add(java.util.Arrays.asList(e.getKey(), e.getValue())));
        return Map.of("items", pairs);
    }

    static Map<String, Object> value(Object v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("value", v);
        return out;
    }

    private static ApiException noKey(Object key) {
        return new ApiException(
                404, "no_key", "no key " + (key instanceof String ? "'" + key + "'" : key) + " (pass 'default')");
    }
}
