package io.forklift.manager;

import com.fasterxml.jackson.databind.JavaType;
import io.forklift.redis.ObjectKeys;

/** A proxy of a shared value: one Redis string of JSON; additions are INCRBY or INCRBYFLOAT inside value_add.lua. */
final class ValueProxy<T> implements SharedValue<T> {
    private final ObjectStore store;
    private final ObjectRef ref;
    private final ObjectKeys keys;
    private final JavaType type;

    ValueProxy(ObjectStore store, ObjectRef ref, JavaType type) {
        this.store = store;
        this.ref = ref;
        this.keys = store.keys(ref);
        this.type = type;
    }

    @Override
    public ObjectRef ref() {
        return ref;
    }

    private T decode(String json) {
        return store.codec.decode(json, type, keys.value());
    }

    @Override
    public T get() {
        return decode(store.reads.get(keys.value()));
    }

    @Override
    public void set(T value) {
        getAndSet(value);
    }

    @Override
    public T getAndSet(T value) {
        return decode(store.run(ref, store.data.valueSet(keys, null, null, store.codec.encode(value, ref))));
    }

    @Override
    public boolean compareAndSet(T expect, T update) {
        String expected = store.codec.encode(expect, ref);
        return "1".equals(store.run(ref, store.data.valueSet(keys, null, expected, store.codec.encode(update, ref))));
    }

    @Override
    public T addAndGet(Number delta) {
        boolean integral =
                delta instanceof Long || delta instanceof Integer || delta instanceof Short || delta instanceof Byte;
        Class<?> raw = type.getRawClass();
        if (raw == Double.class || raw == Float.class || raw == java.math.BigDecimal.class) integral = false;
        String text = integral ? Long.toString(delta.longValue()) : Double.toString(delta.doubleValue());
        return decode(store.run(ref, store.data.valueAdd(keys, null, text, integral)));
    }

    @Override
    public T incrementAndGet() {
        return addAndGet(1L);
    }

    @Override
    public String toString() {
        return "Value(" + store.reads.get(keys.value()) + ")";
    }
}
