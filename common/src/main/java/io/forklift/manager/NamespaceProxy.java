package io.forklift.manager;

import io.forklift.wire.Json;
import java.util.Map;
import java.util.NoSuchElementException;

/** A proxy of a shared namespace: a dict of kind {@code namespace} whose keys are attribute names. */
final class NamespaceProxy implements Namespace {
    private final ObjectRef ref;
    private final MapProxy<String, Object> map;
    private final ObjectStore store;

    NamespaceProxy(ObjectStore store, ObjectRef ref) {
        this.store = store;
        this.ref = ref;
        this.map = new MapProxy<>(store, ref, Json.MAPPER.constructType(String.class), ValueCodec.OBJECT);
    }

    @Override
    public ObjectRef ref() {
        return ref;
    }

    private static String name(String attribute) {
        if (attribute == null || attribute.isEmpty())
            throw new IllegalArgumentException("an attribute name must not be empty");
        return attribute;
    }

    @Override
    public void set(String attribute, Object value) {
        map.put(name(attribute), value);
    }

    @Override
    public void set(String attribute, Object value, FencingToken fence) {
        map.put(name(attribute), value, fence);
    }

    @Override
    public Object get(String attribute) {
        return get(attribute, Object.class);
    }

    @Override
    public <T> T get(String attribute, Class<T> type) {
        String json = store.reads.hget(store.keys(ref).hash(), store.codec.encodeKey(name(attribute), ref));
        if (json == null) throw new NoSuchElementException(ref + " has no attribute '" + attribute + "'");
        return store.codec.decode(
                json, Json.MAPPER.constructType(type), store.keys(ref).hash());
    }

    @Override
    public boolean has(String attribute) {
        return map.containsKey(name(attribute));
    }

    @Override
    public boolean delete(String attribute) {
        String key = store.codec.encodeKey(name(attribute), ref);
        return store.run(ref, store.data.dictRemove(store.keys(ref), ref.kind(), null, key, null)) != null;
    }

    @Override
    public Map<String, Object> toMap() {
        return map.snapshot();
    }

    @Override
    public String toString() {
        return "Namespace" + map.snapshot();
    }
}
