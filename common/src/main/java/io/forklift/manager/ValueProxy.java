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
        getAndSet(value, null);
    }

    @Override
    public T getAndSet(T value) {
        return getAndSet(value, null);
    }

    @Override
    public boolean compareAndSet(T expect, T update) {
        return compareAndSet(expect, update, null);
    }

    @Override
    public T addAndGet(Number delta) {
        return addAndGet(delta, null);
    }

    @Override
    public void set(T value, FencingToken fence) {
        getAndSet(value, fence);
    }

    @Override
    public T getAndSet(T value, FencingToken fence) {
        String json = store.codec.encode(value, ref);
        return decode(FencingToken.write(store, ref, fence, f -> store.data.valueSet(keys, f, null, json)));
    }

    @Override
    public boolean compareAndSet(T expect, T update, FencingToken fence) {
        String expected = store.codec.encode(expect, ref);
        String json = store.codec.encode(update, ref);
        return "1".equals(FencingToken.write(store, ref, fence, f -> store.data.valueSet(keys, f, expected, json)));
    }

    @Override
    public T addAndGet(Number delta, FencingToken fence) {
        boolean integral =
                delta instanceof Long || delta instanceof Integer || delta instanceof Short || delta instanceof Byte;
        Class<?> raw = type.getRawClass();
        if (raw == Double.class || raw == Float.class || raw == java.math.BigDecimal.class) integral = false;
        String text = integral ? Long.toString(delta.longValue()) : Double.toString(delta.doubleValue());
        boolean whole = integral;
        return decode(FencingToken.write(store, ref, fence, f -> store.data.valueAdd(keys, f, text, whole)));
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
