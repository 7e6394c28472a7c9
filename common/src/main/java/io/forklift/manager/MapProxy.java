package io.forklift.manager;

import com.fasterxml.jackson.databind.JavaType;
import io.forklift.redis.DataScripts.PutMode;
import io.forklift.redis.ObjectKeys;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A proxy of a shared dict or namespace: hash field = key's JSON text, value = JSON. */
final class MapProxy<K, V> extends AbstractMap<K, V> implements SharedMap<K, V> {
    private final ObjectStore store;
    private final ObjectRef ref;
    private final ObjectKeys keys;
    private final JavaType keyType;
    private final JavaType valueType;

    MapProxy(ObjectStore store, ObjectRef ref, JavaType keyType, JavaType valueType) {
        this.store = store;
        this.ref = ref;
        this.keys = store.keys(ref);
        this.keyType = keyType;
        this.valueType = valueType;
    }

    @Override
    public ObjectRef ref() {
        return ref;
    }

    private String key(Object k) {
        return store.codec.encodeKey(k, ref);
    }

    private V value(String json) {
        return store.codec.decode(json, valueType, keys.hash());
    }

    private String write(PutMode mode, String expected, Object k, Object v) {
        return store.run(
                ref, store.data.dictPut(keys, ref.kind(), null, mode, expected, key(k), store.codec.encode(v, ref)));
    }

    @Override
    public V get(Object k) {
        return value(store.reads.hget(keys.hash(), key(k)));
    }

    @Override
    public boolean containsKey(Object k) {
        return store.reads.hexists(keys.hash(), key(k));
    }

    @Override
    public int size() {
        return (int) store.reads.hlen(keys.hash());
    }

    @Override
    public V put(K k, V v, FencingToken fence) {
        String key = key(k);
        String json = store.codec.encode(v, ref);
        return value(FencingToken.write(
                store, ref, fence, f -> store.data.dictPut(keys, ref.kind(), f, PutMode.ALWAYS, null, key, json)));
    }

    @Override
    public V remove(Object k, FencingToken fence) {
        String key = key(k);
        return value(FencingToken.write(store, ref, fence, f -> store.data.dictRemove(keys, ref.kind(), f, key, null)));
    }

    @Override
    public V put(K k, V v) {
        return value(write(PutMode.ALWAYS, null, k, v));
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        if (m.isEmpty()) return;
        List<String> pairs = new ArrayList<>(2 * m.size());
        m.forEach((k, v) -> {
            pairs.add(key(k));
            pairs.add(store.codec.encode(v, ref));
        });
        store.run(ref, store.data.dictPutAll(keys, ref.kind(), null, pairs));
    }

    @Override
    public V putIfAbsent(K k, V v) {
        return value(write(PutMode.ABSENT, null, k, v));
    }

    @Override
    public V replace(K k, V v) {
        return value(write(PutMode.PRESENT, null, k, v));
    }

    @Override
    public boolean replace(K k, V oldValue, V newValue) {
        return "1".equals(write(PutMode.EQUAL, store.codec.encode(oldValue, ref), k, newValue));
    }

    @Override
    public V remove(Object k) {
        return value(store.run(ref, store.data.dictRemove(keys, ref.kind(), null, key(k), null)));
    }

    @Override
    public boolean remove(Object k, Object v) {
        return "1"
                .equals(store.run(
                        ref, store.data.dictRemove(keys, ref.kind(), null, key(k), store.codec.encode(v, ref))));
    }

    @Override
    public void clear() {
        store.run(ref, store.data.clear(keys, ref.kind(), null));
    }

    /** Every entry, read in one command; a value not JSON throws naming the key. */
    Map<K, V> snapshot() {
        Map<K, V> out = new LinkedHashMap<>();
        store.reads
                .hgetAll(keys.hash())
                .forEach((k, v) -> out.put(store.codec.decode(k, keyType, keys.hash() + " field " + k), value(v)));
        return out;
    }

    /** A snapshot; removing through it (or an entry's setValue) writes through to Redis. */
    @Override
    public Set<Entry<K, V>> entrySet() {
        Map<K, V> snap = snapshot();
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<K, V>> iterator() {
                Iterator<Entry<K, V>> it = snap.entrySet().iterator();
                return new Iterator<>() {
                    private Entry<K, V> last;

                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public Entry<K, V> next() {
                        Entry<K, V> e = it.next();
                        last = e;
                        return new SimpleEntry<>(e) {
                            @Override
                            public V setValue(V value) {
                                super.setValue(value);
                                return put(getKey(), value);
                            }
                        };
                    }

                    @Override
                    public void remove() {
                        it.remove();
                        MapProxy.this.remove(last.getKey());
                    }
                };
            }

            @Override
            public int size() {
                return snap.size();
            }
        };
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
