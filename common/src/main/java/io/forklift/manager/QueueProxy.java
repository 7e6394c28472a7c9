package io.forklift.manager;

import com.fasterxml.jackson.databind.JavaType;
import io.forklift.redis.ObjectKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A proxy of a shared queue (and of a joinable one). Puts are one script call per batch that fits;
 * a put that finds the queue full blocks on its room flag (BLMOVE room room), woken by the take that
 * makes space. A take is two calls: queue_take.lua moves values into this call's own processing
 * list (or registers it, and BLMOVE then waits for a value into that list), and queue_ack.lua makes
 * the take final, so a taker that dies in between loses nothing.
 * {@link JoinableQueueProxy} adds a joinable queue's calls.
 */
class QueueProxy<E> extends java.util.AbstractQueue<E> implements SharedQueue<E> {
    final ObjectStore store;
    final ObjectRef ref;
    final ObjectKeys keys;
    private final JavaType type;
    private volatile boolean closed;

    QueueProxy(ObjectStore store, ObjectRef ref, JavaType type) {
        this.store = store;
        this.ref = ref;
        this.keys = store.keys(ref);
        this.type = type;
    }

    @Override
    public ObjectRef ref() {
        return ref;
    }

    // ---- putting

    /** Puts values from the first on until all are in or the deadline passes; returns how many went in. */
    private int put(List<String> values, Deadline deadline) throws InterruptedException {
        if (closed) throw new IllegalStateException(ref + " was closed by this proxy; open it again to put more");
        int done = 0;
        while (true) {
            done += store.run(ref, store.queues.put(keys, values.subList(done, values.size())));
            if (done == values.size() || deadline.expired()) return done;
            Deadline.checkInterrupt();
            store.waits.move(keys.room(), keys.room(), false, deadline.block());
        }
    }

    private List<String> encode(E e) {
        return List.of(store.codec.encode(Objects.requireNonNull(e, "a shared queue holds no null"), ref));
    }

    @Override
    public void put(E e) throws InterruptedException {
        put(encode(e), Deadline.forever());
    }

    @Override
    public void put(E e, Duration timeout) throws InterruptedException {
        if (put(encode(e), Deadline.after(timeout)) == 0) throw new QueueFullException(ref, maxsize());
    }

    @Override
    public void putNowait(E e) {
        if (!offer(e)) throw new QueueFullException(ref, maxsize());
    }

    @Override
    public boolean offer(E e) {
        try {
            return put(encode(e), Deadline.after(Duration.ZERO)) == 1;
        } catch (InterruptedException cannot) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean offer(E e, long timeout, TimeUnit unit) throws InterruptedException {
        return put(encode(e), Deadline.after(Duration.ofNanos(unit.toNanos(timeout)))) == 1;
    }

    @Override
    public void putAll(Collection<? extends E> values) throws InterruptedException {
        for (E e : values) Objects.requireNonNull(e, "a shared queue holds no null");
        put(store.codec.encodeAll(values, ref), Deadline.forever());
    }

    // ---- taking

    /** Takes up to {@code max} values, waiting until the deadline for the first; empty when none came. */
    private List<E> take(int max, Deadline deadline) throws InterruptedException {
        while (true) {
            String taker = store.newId();
            Duration block = deadline.block();
            List<String> got = store.run(
                    ref, store.queues.take(keys, taker, max, block.plus(ObjectStore.DEFAULT_LEASE), !block.isZero()));
            if (got.isEmpty() && !block.isZero()) {
                String one = store.waits.move(keys.items(), keys.taking(taker), true, block);
                if (one != null) got = List.of(one);
            }
            if (!got.isEmpty() && store.run(ref, store.queues.ack(keys, taker))) return decode(got);
            if (got.isEmpty() && deadline.expired()) return List.of();
            Deadline.checkInterrupt(); // a block ended with nothing, or what it took had been put back: again
        }
    }

    private List<E> decode(List<String> values) {
        List<E> out = new ArrayList<>(values.size());
        for (String v : values) out.add(store.codec.decode(v, type, keys.items()));
        return out;
    }

    private E first(List<E> values) {
        return values.isEmpty() ? null : values.get(0);
    }

    @Override
    public E take() throws InterruptedException {
        return first(take(1, Deadline.forever()));
    }

    @Override
    public E get() throws InterruptedException {
        return take();
    }

    @Override
    public E get(Duration timeout) throws InterruptedException {
        List<E> got = take(1, Deadline.after(timeout));
        if (got.isEmpty()) throw new QueueEmptyException(ref);
        return got.get(0);
    }

    @Override
    public E getNowait() {
        E e = poll();
        if (e == null) throw new QueueEmptyException(ref);
        return e;
    }

    @Override
    public E poll(long timeout, TimeUnit unit) throws InterruptedException {
        return first(take(1, Deadline.after(Duration.ofNanos(unit.toNanos(timeout)))));
    }

    @Override
    public E poll() {
        return first(takeNow(1));
    }

    private List<E> takeNow(int max) {
        try {
            return take(max, Deadline.after(Duration.ZERO));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    @Override
    public int drainTo(Collection<? super E> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    /** Takes up to {@code max} values in one take (and one acknowledgement), without waiting. */
    @Override
    public int drainTo(Collection<? super E> c, int max) {
        if (c == this) throw new IllegalArgumentException("cannot drain a queue into itself");
        if (max <= 0) return 0;
        List<E> got = takeNow(max);
        c.addAll(got);
        return got.size();
    }

    @Override
    public E peek() {
        return store.codec.decode(store.reads.lindex(keys.items(), 0), type, keys.items());
    }

    // ---- size and the rest

    @Override
    public int qsize() {
        return (int) store.reads.llen(keys.items());
    }

    @Override
    public int size() {
        return qsize();
    }

    @Override
    public boolean isFull() {
        int max = maxsize();
        return max > 0 && qsize() >= max;
    }

    @Override
    public int maxsize() {
        String max = store.reads.hget(keys.meta(), "maxsize");
        return max == null ? 0 : Integer.parseInt(max);
    }

    @Override
    public int remainingCapacity() {
        int max = maxsize();
        return max == 0 ? Integer.MAX_VALUE : Math.max(0, max - qsize());
    }

    /** A snapshot of the values waiting, oldest first; its {@code remove()} is not supported. */
    @Override
    public Iterator<E> iterator() {
        return java.util.Collections.unmodifiableList(decode(store.reads.lrange(keys.items(), 0, -1)))
                .iterator();
    }

    /** Takes everything waiting, in one take. */
    @Override
    public void clear() {
        drainTo(new ArrayList<>());
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "SharedQueue[" + ref + "]";
    }
}
