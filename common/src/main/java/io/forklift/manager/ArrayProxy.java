package io.forklift.manager;

import io.forklift.redis.ObjectKeys;
import java.util.ArrayList;
import java.util.List;

/** A proxy of a shared array: a Redis list of numbers of fixed length. */
final class ArrayProxy implements SharedArray {
    private final ObjectStore store;
    private final ObjectRef ref;
    private final ObjectKeys keys;
    private final ArrayType type;

    ArrayProxy(ObjectStore store, ObjectRef ref, ArrayType type) {
        this.store = store;
        this.ref = ref;
        this.keys = store.keys(ref);
        this.type = type;
    }

    @Override
    public ObjectRef ref() {
        return ref;
    }

    @Override
    public ArrayType type() {
        return type;
    }

    @Override
    public int length() {
        return (int) store.reads.llen(keys.list());
    }

    private Number number(String text) {
        try {
            return type.fit(
                    type.integral() ? (Number) new java.math.BigDecimal(text).longValueExact() : Double.valueOf(text));
        } catch (RuntimeException e) {
            throw new CorruptValueException(keys.list(), text, e);
        }
    }

    @Override
    public Number get(int index) {
        String text = store.reads.lindex(keys.list(), index);
        if (index < 0 || text == null) throw new IndexOutOfBoundsException("index " + index + " of " + ref);
        return number(text);
    }

    @Override
    public void set(int index, Number value) {
        store.run(
                ref,
                store.data.listSet(keys, "array", null, index, type.fit(value).toString()));
    }

    @Override
    public Number addAndGet(int index, Number delta) {
        String d = type.integral() ? Long.toString(type.fit(delta).longValue()) : Double.toString(delta.doubleValue());
        return number(store.run(
                ref, store.data.arrayAdd(keys, null, index, d, bound(type.min()), bound(type.max()), type.integral())));
    }

    private String bound(double v) {
        return type.integral() ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public List<Number> toList() {
        List<Number> out = new ArrayList<>();
        for (String text : store.reads.lrange(keys.list(), 0, -1)) out.add(number(text));
        return out;
    }

    @Override
    public String toString() {
        return "Array('" + type.typecode() + "', " + toList() + ")";
    }
}
