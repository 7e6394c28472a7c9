package io.forklift.manager;

import java.util.concurrent.ConcurrentMap;

/**
 * Python's {@code Manager().dict()}, shared through Redis (a hash), as a {@link ConcurrentMap}.
 * Keys are JSON scalars (strings, numbers, booleans), stored as their JSON text, so {@code 1} and
 * {@code "1"} are different keys, as in Python; a {@code null} key is refused, a {@code null}
 * value is stored as JSON {@code null}. Each write is one script; {@code get}, {@code size} and
 * {@code containsKey} one command; iteration walks a snapshot.
 */
public interface SharedMap<K, V> extends ConcurrentMap<K, V>, SharedObject {
    /** A fenced {@code put}: refused ({@link StaleFenceException}) once a newer fence of its lock was issued. */
    V put(K key, V value, FencingToken fence);

    /** A fenced {@code remove}. */
    V remove(Object key, FencingToken fence);
}
