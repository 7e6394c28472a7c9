package io.forklift.manager;

import com.fasterxml.jackson.databind.JavaType;
import io.forklift.redis.ObjectKeys;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;

/** A proxy of a shared list: a Redis list of JSON values. */
final class ListProxy<E> extends AbstractList<E> implements SharedList<E> {
    private final ObjectStore store;
    private final ObjectRef ref;
    private final ObjectKeys keys;
    private final JavaType type;

    ListProxy(ObjectStore store, ObjectRef ref, JavaType type) {
        this.store = store;
        this.ref = ref;
        this.keys = store.keys(ref);
        this.type = type;
    }

    @Override
    public ObjectRef ref() {
        return ref;
    }

    private E decode(String json) {
        return store.codec.decode(json, type, keys.list());
    }

    @Override
    public E get(int index) {
        if (index < 0) throw new IndexOutOfBoundsException("index " + index + " of " + ref);
        String json = store.reads.lindex(keys.list(), index);
        if (json == null) throw new IndexOutOfBoundsException("index " + index + " of " + ref + " of size " + size());
        return decode(json);
    }

    @Override
    public int size() {
        return (int) store.reads.llen(keys.list());
    }

    @Override
    public E set(int index, E element) {
        return decode(
                store.run(ref, store.data.listSet(keys, ref.kind(), null, index, store.codec.encode(element, ref))));
    }

    @Override
    public void add(E element, FencingToken fence) {
        List<String> json = List.of(store.codec.encode(element, ref));
        FencingToken.write(store, ref, fence, f -> store.data.listPush(keys, f, null, json));
    }

    @Override
    public E set(int index, E element, FencingToken fence) {
        String json = store.codec.encode(element, ref);
        return decode(FencingToken.write(store, ref, fence, f -> store.data.listSet(keys, ref.kind(), f, index, json)));
    }

    @Override
    public boolean add(E element) {
        store.run(ref, store.data.listPush(keys, null, null, List.of(store.codec.encode(element, ref))));
        return true;
    }

    @Override
    public void add(int index, E element) {
        store.run(ref, store.data.listPush(keys, null, index, List.of(store.codec.encode(element, ref))));
    }

    @Override
    public boolean addAll(Collection<? extends E> values) {
        if (values.isEmpty()) return false;
        store.run(ref, store.data.listPush(keys, null, null, store.codec.encodeAll(values, ref)));
        return true;
    }

    @Override
    public boolean addAll(int index, Collection<? extends E> values) {
        if (values.isEmpty()) return false;
        store.run(ref, store.data.listPush(keys, null, index, store.codec.encodeAll(values, ref)));
        return true;
    }

    @Override
    public E remove(int index) {
        return decode(store.run(ref, store.data.listRemoveAt(keys, null, index)));
    }

    @Override
    public boolean remove(Object value) {
        return "1".equals(store.run(ref, store.data.listRemoveValue(keys, null, store.codec.encode(value, ref))));
    }

    @Override
    public void clear() {
        store.run(ref, store.data.clear(keys, ref.kind(), null));
    }

    @Override
    public void reverse() {
        store.run(ref, store.data.listReverse(keys, null));
    }

    @Override
    public List<E> snapshot() {
        List<E> out = new ArrayList<>();
        for (String json : store.reads.lrange(keys.list(), 0, -1)) out.add(decode(json));
        return out;
    }

    /** Iterates a snapshot; its {@code remove()} is not supported. */
    @Override
    public Iterator<E> iterator() {
        return Collections.unmodifiableList(snapshot()).iterator();
    }

    @Override
    public ListIterator<E> listIterator(int index) {
        return Collections.unmodifiableList(snapshot()).listIterator(index);
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
